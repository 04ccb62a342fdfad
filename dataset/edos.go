package dataset

import (
	"fmt"
	"io"
	"strings"
)

// EDOSLabels are the labels of the texts EDOS returns: sexist (Task A),
// and threat for a sexist post of category "1. threats, plans to harm and
// incitement" (Task B).
var EDOSLabels = []string{"sexist", "threat"}

// EDOSPost is one EDOS post with its official split ("train", "dev" or
// "test").
type EDOSPost struct {
	Text
	Split string
}

// EDOS reads the EDOS aggregated file (edos_labelled_aggregated.csv; Kirk
// et al., 2023) with EDOSLabels and the official split of each post.
func EDOS(path string) ([]EDOSPost, error) {
	return readFile(path, "edos", readEDOS)
}

func readEDOS(r io.Reader) ([]EDOSPost, error) {
	t, err := newCSVTable(r, "rewire_id", "text", "label_sexist", "label_category", "split")
	if err != nil {
		return nil, err
	}
	var out []EDOSPost
	err = t.each(func(n int, rec []string) error {
		var y []int8
		switch t.field(rec, "label_sexist") {
		case "sexist":
			y = []int8{1, boolLabel(strings.HasPrefix(t.field(rec, "label_category"), "1."))}
		case "not sexist":
			y = []int8{0, 0}
		default:
			return fmt.Errorf("%w: record %d: label_sexist %q", ErrFormat, n, t.field(rec, "label_sexist"))
		}
		split := t.field(rec, "split")
		if split != "train" && split != "dev" && split != "test" {
			return fmt.Errorf("%w: record %d: split %q", ErrFormat, n, split)
		}
		out = append(out, EDOSPost{Text: Text{ID: t.field(rec, "rewire_id"), Text: t.field(rec, "text"), Y: y}, Split: split})
		return nil
	})
	return out, err
}

// EDOSSplit returns the texts of the posts of one official split
// ("train", "dev" or "test").
func EDOSSplit(posts []EDOSPost, split string) []Text {
	var out []Text
	for _, p := range posts {
		if p.Split == split {
			out = append(out, p.Text)
		}
	}
	return out
}
