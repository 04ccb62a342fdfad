package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/forewarn/forewarn/cli"
)

// TestLineLimits checks, for every JSON Lines command, that a line over
// --max-line and a line with invalid UTF-8 in its id or text each get
// their own error line, that the rest of a long line is skipped rather
// than read as lines, and that every output line is valid JSON.
func TestLineLimits(t *testing.T) {
	post := filepath.Join(t.TempDir(), "post.txt")
	if err := os.WriteFile(post, []byte("A note about gardening."), 0o600); err != nil {
		t.Fatal(err)
	}
	long := `{"id": 2, "text": "` + strings.Repeat("you idiot\\n{\"id\": 99} ", 400) + `"}`
	in := strings.Join([]string{
		`{"id": 1, "text": "hello"}`,
		long,
		"{\"id\": \"\xff\", \"text\": \"bad id\"}",
		"{\"id\": 4, \"text\": \"bad \xfe text\"}",
		`{"id": 5, "text": "still going"}`,
	}, "\n") + "\n"
	want := []string{"", "longer than --max-line", "not valid UTF-8", "not valid UTF-8", ""}
	for _, args := range [][]string{
		{"score", "--max-line", "1000"},
		{"moderate", "--post", post, "--max-line", "1000"},
		{"warn", "--jsonl", "--max-line", "1000"},
	} {
		t.Run(args[0], func(t *testing.T) {
			out, _, err := run(t, in, args...)
			if !errors.Is(err, cli.ErrSomeFailed) {
				t.Fatalf("err = %v, want cli.ErrSomeFailed", err)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(want) {
				t.Fatalf("%d output lines for %d input lines:\n%s", len(lines), len(want), out)
			}
			for i, l := range lines {
				var v struct {
					ID         json.RawMessage
					Error      string
					LineNumber int `json:"line_number"`
				}
				if err := json.Unmarshal([]byte(l), &v); err != nil || !utf8.ValidString(l) {
					t.Fatalf("line %d is not valid JSON: %q", i+1, l)
				}
				if !strings.Contains(v.Error, want[i]) || (want[i] == "") != (v.Error == "") {
					t.Errorf("line %d: error %q, want %q", i+1, v.Error, want[i])
				}
				if want[i] != "" && v.LineNumber != i+1 {
					t.Errorf("line %d: line_number %d", i+1, v.LineNumber)
				}
			}
		})
	}
}
