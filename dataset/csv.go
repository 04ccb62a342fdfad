package dataset

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// csvTable reads a CSV file with a header record, finding columns by name.
type csvTable struct {
	r    *csv.Reader
	head []string
	col  map[string]int
	need int // records must have at least this many fields
}

// newCSVTable reads the header of r and checks that it names every
// required column. Header names are compared with surrounding space
// trimmed.
func newCSVTable(r io.Reader, required ...string) (*csvTable, error) {
	return newTable(r, ',', required...)
}

// newTable is newCSVTable with fields separated by comma; a table
// separated by tabs reads quotes leniently, as the published TSV files
// have stray ones.
func newTable(r io.Reader, comma rune, required ...string) (*csvTable, error) {
	t := &csvTable{r: csv.NewReader(r), col: map[string]int{}}
	t.r.FieldsPerRecord = -1
	t.r.Comma = comma
	t.r.LazyQuotes = comma == '\t'
	head, err := t.r.Read()
	if err != nil {
		return nil, err
	}
	t.head = head
	for i, h := range head {
		t.col[strings.TrimSpace(h)] = i
	}
	for _, name := range required {
		i, ok := t.col[name]
		if !ok {
			return nil, fmt.Errorf("%w: want columns %s", ErrFormat, strings.Join(required, ", "))
		}
		t.need = max(t.need, i+1)
	}
	return t, nil
}

// each calls fn for every record after the header, numbered from 2 as the
// lines of a file without multi-line fields would be. A record too short
// to hold the required columns is ErrFormat.
func (t *csvTable) each(fn func(n int, rec []string) error) error {
	for n := 2; ; n++ {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) < t.need {
			return fmt.Errorf("%w: record %d short", ErrFormat, n)
		}
		if err := fn(n, rec); err != nil {
			return err
		}
	}
}

// field returns the named column of rec, or "" when the file has no such
// column or the record is too short for it.
func (t *csvTable) field(rec []string, name string) string {
	if i, ok := t.col[name]; ok && i < len(rec) {
		return rec[i]
	}
	return ""
}
