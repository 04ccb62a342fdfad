package dataset

import (
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
	t, err := newCSVTable(r, "subreddit", "text")
	if err != nil {
		return nil, err
	}
	var out []Text
	err = t.each(func(n int, rec []string) error {
		if len(rec) != len(t.head) {
			return fmt.Errorf("%w: record %d has %d fields, want %d", ErrFormat, n, len(rec), len(t.head))
		}
		sub := t.field(rec, "subreddit")
		y, ok := dreadditY[sub]
		if !ok {
			return fmt.Errorf("%w: record %d: subreddit %q", ErrFormat, n, sub)
		}
		txt := Text{ID: fmt.Sprintf("dreaddit-%d", n), Text: t.field(rec, "text"), Y: append([]int8(nil), y...)}
		if id := t.field(rec, "id"); id != "" {
			txt.ID = "dreaddit-" + id
		}
		if post := t.field(rec, "post_id"); post != "" {
			txt.Group = "post-" + post
		}
		out = append(out, txt)
		return nil
	})
	return out, err
}
