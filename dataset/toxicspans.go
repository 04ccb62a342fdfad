package dataset

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// SpanText is a text with the byte ranges that annotators marked in it.
type SpanText struct {
	ID    string
	Text  string
	Spans []ByteSpan
}

// ByteSpan is the byte range [Start, End) of a text.
type ByteSpan struct{ Start, End int }

// ToxicSpansSemEval reads a SemEval-2021 Task 5 file (tsd_train.csv,
// tsd_trial.csv or tsd_test.csv; Pavlopoulos et al., 2021): each text with
// its toxic character offsets turned into byte ranges of runs of
// consecutive characters. An empty list means no span.
func ToxicSpansSemEval(path string) ([]SpanText, error) {
	return readFile(path, "toxic spans", readToxicSpansSemEval)
}

func readToxicSpansSemEval(r io.Reader) ([]SpanText, error) {
	t, err := newCSVTable(r, "spans", "text")
	if err != nil {
		return nil, err
	}
	var out []SpanText
	err = t.each(func(n int, rec []string) error {
		text := t.field(rec, "text")
		list := strings.Trim(strings.TrimSpace(t.field(rec, "spans")), "[]")
		var chars []int
		for _, s := range strings.Split(list, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			c, err := strconv.Atoi(s)
			if err != nil || c < 0 {
				return fmt.Errorf("%w: record %d: offset %q", ErrFormat, n, s)
			}
			chars = append(chars, c)
		}
		out = append(out, SpanText{ID: fmt.Sprintf("tsd-%d", n), Text: text, Spans: CharSpans(text, chars)})
		return nil
	})
	return out, err
}

// CharSpans turns sorted character (code point) offsets into the byte
// ranges of their runs in text; offsets past the end are dropped.
func CharSpans(text string, chars []int) []ByteSpan {
	if len(chars) == 0 {
		return nil
	}
	set := make(map[int]bool, len(chars))
	for _, c := range chars {
		set[c] = true
	}
	var out []ByteSpan
	ci, open := 0, false
	for b := range text {
		switch {
		case set[ci] && open:
		case set[ci]:
			out, open = append(out, ByteSpan{Start: b}), true
		case open:
			out[len(out)-1].End, open = b, false
		}
		ci++
	}
	if open {
		out[len(out)-1].End = len(text)
	}
	return out
}

// ToxicSpanTypes are the span types of the ACL 2022 toxic-spans release,
// in the order of the Y of the texts ToxicSpansACL returns.
var ToxicSpanTypes = []string{"Insult", "Threat", "Identity based Attack", "Profane/Obscene", "Other Toxicity"}

// ToxicSpansACL reads the ACL 2022 toxic-spans release from dir
// (comments.csv, annotations.csv, spans.csv) into one text per comment
// with ToxicSpanTypes: 1 when at least half of the comment's raters marked
// a span of the type, 0 when none did, Unknown in between.
func ToxicSpansACL(dir string) ([]Text, error) {
	raters := map[string]int{}       // comment id -> raters
	commentOf := map[string]string{} // annotation id -> comment id
	err := eachTable(filepath.Join(dir, "annotations.csv"), ',', []string{"annotation", "comment_id"}, func(n int, f func(string) string) error {
		raters[f("comment_id")]++
		commentOf[f("annotation")] = f("comment_id")
		return nil
	})
	if err != nil {
		return nil, err
	}
	type key struct {
		comment, annotation string
		typ                 int
	}
	seen := map[key]bool{}
	marked := map[string][]int{} // comment id -> raters per type
	err = eachTable(filepath.Join(dir, "spans.csv"), ',', []string{"annotation", "type"}, func(n int, f func(string) string) error {
		c, ok := commentOf[f("annotation")]
		if !ok {
			return fmt.Errorf("%w: spans record %d: unknown annotation %q", ErrFormat, n, f("annotation"))
		}
		typ := spanType(f("type"))
		if typ < 0 {
			return nil
		}
		if k := (key{c, f("annotation"), typ}); !seen[k] {
			seen[k] = true
			if marked[c] == nil {
				marked[c] = make([]int, len(ToxicSpanTypes))
			}
			marked[c][typ]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Text
	err = eachTable(filepath.Join(dir, "comments.csv"), ',', []string{"comment_id", "comment_text"}, func(n int, f func(string) string) error {
		id := f("comment_id")
		y := make([]int8, len(ToxicSpanTypes))
		for l := range y {
			k := 0
			if m := marked[id]; m != nil {
				k = m[l]
			}
			switch {
			case k == 0:
				y[l] = 0
			case 2*k >= raters[id]:
				y[l] = 1
			default:
				y[l] = Unknown
			}
		}
		if raters[id] == 0 {
			return nil
		}
		out = append(out, Text{ID: "civil-" + id, Text: f("comment_text"), Y: y})
		return nil
	})
	return out, err
}

// spanType returns the index in ToxicSpanTypes of a span type, accepting
// the truncated labels of the release, or -1.
func spanType(s string) int {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return -1
	}
	for i, t := range ToxicSpanTypes {
		if strings.HasPrefix(t, s) {
			return i
		}
	}
	return -1
}

// eachTable reads a file of records separated by comma with a header,
// calling fn with a lookup of each record's fields by column name; the
// required columns must be present.
func eachTable(path string, comma rune, required []string, fn func(n int, field func(string) string) error) error {
	_, err := readFile(path, filepath.Base(path), func(r io.Reader) ([]struct{}, error) {
		t, err := newTable(r, comma, required...)
		if err != nil {
			return nil, err
		}
		return nil, t.each(func(n int, rec []string) error {
			return fn(n, func(name string) string { return t.field(rec, name) })
		})
	})
	return err
}
