package dataset

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
)

// DreadditTopics are the topics the Dreaddit subreddits stand for, in the
// order of the Y of the texts Dreaddit returns.
var DreadditTopics = []string{"domestic-abuse", "sexual-violence", "mental-illness"}

// dreadditY maps a subreddit to its labels over DreadditTopics. The
// subreddit is the only topic signal, so a label is Unknown where a
// subreddit's posts often touch the topic without being about it:
// survivors of domestic violence write about sexual violence and the
// reverse, and posts in the PTSD forum are often about the abuse that
// caused it. r/survivorsofabuse describes itself as a place for survivors
// of sexual abuse, so it stands for sexual violence.
var dreadditY = map[string][]int8{
	"domesticviolence": {1, Unknown, Unknown},
	"survivorsofabuse": {Unknown, 1, Unknown},
	"ptsd":             {Unknown, Unknown, 1},
	"anxiety":          {0, 0, 1},
	"relationships":    {0, 0, 0},
	"assistance":       {0, 0, 0},
	"homeless":         {0, 0, 0},
	"almosthomeless":   {0, 0, 0},
	"stress":           {0, 0, 0},
	"food_pantry":      {0, 0, 0},
}

// Dreaddit reads a Dreaddit release file (dreaddit-train.csv or
// dreaddit-test.csv) with DreadditTopics taken from the subreddit. Group is
// the Reddit post, since a post is cut into several segments.
func Dreaddit(path string) ([]Text, error) {
	return readFile(path, "dreaddit", readDreaddit)
}

// readFile opens path and parses it with parse, wrapping errors with what.
func readFile[T any](path, what string, parse func(io.Reader) ([]T, error)) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer f.Close()
	out, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

func readDreaddit(r io.Reader) ([]Text, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	si, ok1 := col["subreddit"]
	ti, ok2 := col["text"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%w: no subreddit or text column", ErrFormat)
	}
	pi, hasPost := col["post_id"]
	ii, hasID := col["id"]
	var out []Text
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != len(head) {
			return nil, fmt.Errorf("%w: record %d has %d fields, want %d", ErrFormat, n, len(rec), len(head))
		}
		y, ok := dreadditY[rec[si]]
		if !ok {
			return nil, fmt.Errorf("%w: record %d: subreddit %q", ErrFormat, n, rec[si])
		}
		t := Text{ID: fmt.Sprintf("dreaddit-%d", n), Text: rec[ti], Y: append([]int8(nil), y...)}
		if hasID && rec[ii] != "" {
			t.ID = "dreaddit-" + rec[ii]
		}
		if hasPost && rec[pi] != "" {
			t.Group = "post-" + rec[pi]
		}
		out = append(out, t)
	}
}
