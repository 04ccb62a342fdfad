package dataset

import (
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
)

// AGNewsClasses are the AG News classes by their index in the file, from 1.
var AGNewsClasses = []string{"World", "Sports", "Business", "Sci/Tech"}

// AGNews reads an AG News release file (test.csv: class index, title,
// description; no header) as background passages: the title and the
// description as two paragraphs, Domain the class name, Group the row.
// The release's escapes are undone: a backslash stands for a line break
// within a field and is read as a space,
// "#39;" and the like for characters, and HTML entities and tags are
// resolved or dropped.
func AGNews(path string) ([]Passage, error) {
	return readFile(path, "ag-news", readAGNews)
}

func readAGNews(r io.Reader) ([]Passage, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	var out []Passage
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		c := 0
		if _, err := fmt.Sscanf(rec[0], "%d", &c); err != nil || c < 1 || c > len(AGNewsClasses) {
			return nil, fmt.Errorf("%w: row %d: class %q", ErrFormat, n, rec[0])
		}
		id := fmt.Sprintf("agnews-%d", n)
		out = append(out, Passage{ID: id, Text: agClean(rec[1]) + "\n\n" + agClean(rec[2]), Domain: AGNewsClasses[c-1], Group: id})
	}
}

// agEntity matches the release's numeric escapes without their ampersand
// ("#39;"), and agTag an HTML tag once entities are resolved.
var (
	agEntity = regexp.MustCompile(`#[0-9]{2,4};`)
	agTag    = regexp.MustCompile(`<[^<>]{0,200}>`)
)

// agWindows maps the Windows-1252 code points the release uses for
// punctuation to Unicode.
var agWindows = map[string]string{"145": "‘", "146": "’", "147": "“", "148": "”", "150": "–", "151": "—"}

// agClean undoes the escapes of an AG News field.
func agClean(s string) string {
	s = html.UnescapeString(s)
	s = agEntity.ReplaceAllStringFunc(s, func(m string) string {
		num := strings.TrimLeft(m[1:len(m)-1], "0")
		if w, ok := agWindows[num]; ok {
			return w
		}
		return html.UnescapeString("&#" + num + ";")
	})
	s = agTag.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, `\`, " ")
	return strings.Join(strings.Fields(s), " ")
}
