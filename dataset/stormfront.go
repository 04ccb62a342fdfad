package dataset

import (
	"fmt"
	"io"
	"strings"
)

// Stormfront reads the Stormfront sentences (stormfront_sentences.csv; de
// Gibert et al., 2018) with the single label hate: 1 for hate, 0 for
// noHate, Unknown for "relation" (hateful only together with the other
// sentences of its post). Sentences marked idk/skip are left out. Group is
// the post, since a post's sentences must stay on one side of a split.
func Stormfront(path string) ([]Text, error) {
	return readFile(path, "stormfront", readStormfront)
}

func readStormfront(r io.Reader) ([]Text, error) {
	t, err := newCSVTable(r, "file_id", "label", "text")
	if err != nil {
		return nil, err
	}
	var out []Text
	err = t.each(func(n int, rec []string) error {
		var y int8
		switch t.field(rec, "label") {
		case "hate":
			y = 1
		case "noHate":
			y = 0
		case "relation":
			y = Unknown
		case "idk/skip":
			return nil
		default:
			return fmt.Errorf("%w: record %d: label %q", ErrFormat, n, t.field(rec, "label"))
		}
		id := t.field(rec, "file_id")
		post, _, _ := strings.Cut(id, "_")
		out = append(out, Text{ID: "stormfront-" + id, Text: t.field(rec, "text"), Y: []int8{y}, Group: "stormfront-" + post})
		return nil
	})
	return out, err
}
