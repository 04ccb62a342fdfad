package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseFastAgreesWithSlow(t *testing.T) {
	for _, l := range []string{
		`{"id": 1, "text": "hello"}`,
		`{"text": "hello", "id": "a"}`,
		` { "id" : -1.5e3 , "text" : "tab\tand \"quote\" \u00e9" } `,
		`{"id": 1, "text": "x", "extra": 2}`,
		`{"id": 1}`,
		`{"id": 01, "text": "leading zero"}`,
		`{"id": 1, "text": ""}`,
		`{"id": 1, "text": "   "}`,
		`{"id": 1, "text": "\u00a0"}`,
		`{"id": [1], "text": "x"}`,
		`{"id": 1, "text": "a"} trailing`,
		`{"id": 1, "text": "bad \xff byte"}`,
		`{"id": 1, "text": "a", "text": "b"}`,
		`{"id": 1, "text": "unterminated}`,
		`not json`,
		``,
	} {
		fid, ftext, fok := parseFast([]byte(l))
		sid, stext, smsg := parseLineSlow([]byte(l))
		if fok && (smsg != "" || !bytes.Equal(fid, sid) || ftext != stext) {
			t.Errorf("%q: fast (%s, %q) but slow (%s, %q, %q)", l, fid, ftext, sid, stext, smsg)
		}
	}
}

func FuzzParseFast(f *testing.F) {
	f.Add(`{"id": 1, "text": "hello"}`)
	f.Add(`{"id":"x\"y","text":"a\nb"}`)
	f.Fuzz(func(t *testing.T, l string) {
		fid, ftext, fok := parseFast([]byte(l))
		if !fok {
			return
		}
		sid, stext, smsg := parseLineSlow([]byte(l))
		if smsg != "" || !bytes.Equal(fid, sid) || ftext != stext {
			t.Fatalf("%q: fast (%s, %q) but slow (%s, %q, %q)", l, fid, ftext, sid, stext, smsg)
		}
	})
}

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
			if !errors.Is(err, errSomeFailed) {
				t.Fatalf("err = %v, want errSomeFailed", err)
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

// FuzzEachLine checks that eachLine hands over every line of any input
// once, in order, keeping none longer than the limit: a line over it comes
// as nil, and the lines after it are still read.
func FuzzEachLine(f *testing.F) {
	f.Add("a\nbb\n", 1)
	f.Add("\ufeffx\r\n\n\nlong line here\nend", 4)
	f.Fuzz(func(t *testing.T, in string, max int) {
		max = max%64 + 1
		if max <= 0 {
			max += 64
		}
		var want []string
		if in != "" {
			want = strings.Split(strings.TrimSuffix(in, "\n"), "\n")
		}
		n := 0
		_, err := eachLine(t.Context(), strings.NewReader(in), max, func(i int, line []byte) bool {
			if i != n+1 || n >= len(want) {
				t.Fatalf("line %d after %d of %d", i, n, len(want))
			}
			w := strings.TrimRight(want[n], "\r\n")
			if n == 0 {
				w = strings.TrimPrefix(w, "\ufeff")
			}
			switch {
			case line == nil && len(strings.TrimRight(want[n], "\r\n")) <= max:
				t.Fatalf("line %d (%d bytes) dropped at limit %d", i, len(w), max)
			case line != nil && string(line) != w:
				t.Fatalf("line %d = %q, want %q", i, line, w)
			}
			n++
			return true
		})
		if err != nil || n != len(want) {
			t.Fatalf("%d lines of %d, err %v", n, len(want), err)
		}
	})
}
