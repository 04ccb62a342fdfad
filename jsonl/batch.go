package jsonl

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/forewarn/forewarn"
)

// Summary counts, per topic, the texts that earned a warning for it: the
// table "forewarn warn --batch" prints after a run.
type Summary struct {
	Texts, Warned, Failed int
	// Topics counts texts per topic id.
	Topics map[string]int
}

// Add counts one text that was warned (w) or that failed.
func (s *Summary) Add(w forewarn.Warning, failed bool) {
	s.Texts++
	if failed {
		s.Failed++
		return
	}
	if len(w.Topics) > 0 {
		s.Warned++
	}
	if s.Topics == nil {
		s.Topics = map[string]int{}
	}
	for _, t := range w.Topics {
		s.Topics[t.ID]++
	}
}

// Print writes the counts and a table of topics, most frequent first.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "\n%d texts, %d with a warning, %d failed\n", s.Texts, s.Warned, s.Failed)
	ids := make([]string, 0, len(s.Topics))
	for id := range s.Topics {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if s.Topics[ids[i]] != s.Topics[ids[j]] {
			return s.Topics[ids[i]] > s.Topics[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if len(ids) > 0 {
		fmt.Fprintf(w, "%-26s %7s %7s\n", "topic", "texts", "share")
	}
	for _, id := range ids {
		fmt.Fprintf(w, "%-26s %7d %6.1f%%\n", id, s.Topics[id], 100*float64(s.Topics[id])/float64(max(s.Texts, 1)))
	}
}

// WriteFileWarning writes the output of "forewarn warn --json" for one
// file: {"file", "line", "topics"} with the topics as a reader is shown
// them (forewarn.ShownTopics, which rounds w's scores in place).
func WriteFileWarning(out io.Writer, file string, w forewarn.Warning) error {
	w.Topics = forewarn.ShownTopics(w.Topics)
	rec := struct {
		File string `json:"file"`
		forewarn.Warning
	}{file, w}
	if err := json.NewEncoder(out).Encode(rec); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// TextFiles lists the .txt files under dir.
func TextFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".txt") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list texts: %w", err)
	}
	return files, nil
}

// WarnFiles warns each file in the house style style and writes one line
// per file to out, {"file", "line", "topics"} with the topic ids, or
// {"error", "file"} when the file cannot be read or warned; sum counts
// every file and done, if set, is called after each. It returns how many
// files failed, and an error only when writing fails or ctx is done.
func WarnFiles(ctx context.Context, d forewarn.Detector, files []string, style string, out io.Writer, sum *Summary, done func()) (failed int, err error) {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		b, err := os.ReadFile(p)
		var w forewarn.Warning
		if err == nil {
			w, err = d.Warn(string(b), style)
		}
		ids := []string{}
		for _, t := range w.Topics {
			ids = append(ids, t.ID)
		}
		sum.Add(w, err != nil)
		rec := map[string]any{"file": p, "line": w.Line, "topics": ids}
		if err != nil {
			failed++
			rec = map[string]any{"file": p, "error": err.Error()}
		}
		if err := enc.Encode(rec); err != nil {
			return failed, fmt.Errorf("write: %w", err)
		}
		if done != nil {
			done()
		}
	}
	return failed, nil
}
