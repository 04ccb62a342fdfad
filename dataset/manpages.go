package dataset

import (
	"fmt"
	"io"
	"strings"
)

// manLine is one line of the man-page paragraphs file.
type manLine struct {
	Package string `json:"package"`
	Page    string `json:"page"`
	Section string `json:"section"`
	Heading string `json:"heading"`
	Text    string `json:"text"`
}

// ManPages reads the Debian man-page paragraphs file
// (manpages_paragraphs.jsonl) as background passages: Domain is the man
// section ("2", "7", ...), Group the page. Every paragraph is technical
// documentation that should get no warning.
func ManPages(path string) ([]Passage, error) {
	return readFile(path, "debian-manpages", readManPages)
}

func readManPages(r io.Reader) ([]Passage, error) {
	var out []Passage
	count := map[string]int{}
	err := eachJSONLine(r, func(n int, l *manLine) error {
		if l.Page == "" {
			return fmt.Errorf("%w: line %d: no page", ErrFormat, n)
		}
		if strings.TrimSpace(l.Text) == "" {
			return nil
		}
		count[l.Page]++
		out = append(out, Passage{ID: fmt.Sprintf("man-%s-%d", l.Page, count[l.Page]), Text: l.Text, Domain: l.Section, Group: "man-" + l.Page})
		return nil
	})
	return out, err
}
