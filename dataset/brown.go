package dataset

import (
	"fmt"
	"io"
	"strings"
)

// brownLine is one line of the Brown paragraphs file.
type brownLine struct {
	Doc       string `json:"doc"`
	Genre     string `json:"genre"`
	Paragraph int    `json:"paragraph"`
	Text      string `json:"text"`
}

// Brown reads the Brown Corpus paragraphs file (paragraphs.jsonl) as
// background passages: Domain is the genre ("press: reportage",
// "fiction: mystery", ...), Group the sample the paragraph comes from.
func Brown(path string) ([]Passage, error) {
	return readFile(path, "brown", readBrown)
}

func readBrown(r io.Reader) ([]Passage, error) {
	var out []Passage
	err := eachJSONLine(r, func(n int, l *brownLine) error {
		if l.Doc == "" || l.Genre == "" {
			return fmt.Errorf("%w: line %d: no doc or genre", ErrFormat, n)
		}
		if strings.TrimSpace(l.Text) == "" {
			return nil
		}
		out = append(out, Passage{ID: fmt.Sprintf("brown-%s-%d", l.Doc, l.Paragraph), Text: l.Text, Domain: l.Genre, Group: "brown-" + l.Doc})
		return nil
	})
	return out, err
}

// BrownFiction reports whether a Brown genre is fiction, whose mystery and
// adventure stories hold real violence.
func BrownFiction(genre string) bool { return strings.HasPrefix(genre, "fiction") }

// BrownReportage is the genre of Brown's news reports, which cover crimes
// and accidents as news does.
const BrownReportage = "press: reportage"
