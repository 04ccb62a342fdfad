package dataset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
)

// WebisWarnings are the warnings of the Webis passage-level trigger warning
// corpus, in the order of the Y of the passages WebisPassages returns.
var WebisWarnings = []string{"violence", "war", "death", "abduction", "misogyny", "homophobia", "racism", "ableism"}

// webisLine is one line of the corpus as published.
type webisLine struct {
	Warning   string          `json:"warning"`
	Labels    []int           `json:"labels"`
	Text      string          `json:"text"`
	WorkID    json.RawMessage `json:"work_id"`
	ExampleID json.RawMessage `json:"example_id"`
}

// WebisPassage is one passage of the Webis corpus with its votes.
type WebisPassage struct {
	Text
	// Yes is how many of the Votes annotators said the warning applies.
	Yes, Votes int
}

// WebisPassages reads a JSON Lines file of the Webis passage-level
// corpus. Each passage was annotated for one warning by three annotators;
// it is positive for that warning if at least one of them said yes, as in
// the published evaluation, and Unknown for the other warnings. Group is
// the work the passage comes from, so that no work is split between
// folds. Yes and Votes keep the annotators' votes, which a trainer may use
// as soft targets.
func WebisPassages(path string) ([]WebisPassage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read webis: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	var out []WebisPassage
	for n := 1; sc.Scan(); n++ {
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var l webisLine
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("read webis: %w: line %d: %v", ErrFormat, n, err)
		}
		w := slices.Index(WebisWarnings, l.Warning)
		if w < 0 {
			return nil, fmt.Errorf("read webis: %w: line %d: warning %q", ErrFormat, n, l.Warning)
		}
		if len(l.Labels) == 0 {
			return nil, fmt.Errorf("read webis: %w: line %d: no votes", ErrFormat, n)
		}
		yes := 0
		for _, v := range l.Labels {
			if v != 0 && v != 1 {
				return nil, fmt.Errorf("read webis: %w: line %d: vote %d", ErrFormat, n, v)
			}
			yes += v
		}
		work := jsonID(l.WorkID)
		if work == "" {
			return nil, fmt.Errorf("read webis: %w: line %d: no work_id", ErrFormat, n)
		}
		id := jsonID(l.ExampleID)
		if id == "" {
			id = strconv.Itoa(n)
		}
		y := make([]int8, len(WebisWarnings))
		for i := range y {
			y[i] = Unknown
		}
		y[w] = boolLabel(yes > 0)
		out = append(out, WebisPassage{Text: Text{ID: "webis-" + id, Text: l.Text, Y: y, Group: "work-" + work}, Yes: yes, Votes: len(l.Labels)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read webis: %w", err)
	}
	return out, nil
}

// jsonID renders a JSON string or number as a string; null and absence
// give "".
func jsonID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
