package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/comment"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestScoreContract checks the JSON Lines contract of forewarn score line
// by line against a golden file.
func TestScoreContract(t *testing.T) {
	in := strings.Join([]string{
		`{"id": 1, "text": "You are a pathetic, worthless idiot."}`,
		`{"id": "a-2", "text": "Thank you so much for sharing this, sending love."}`,
		`{"id": 3.5, "text": "f u c k off, l0ser"}`,
		`{"text": "no id here"}`,
		`{"id": 4}`,
		`{"id": 5, "text": ""}`,
		`{"id": 6, "text": 42}`,
		`not json at all`,
		``,
		`{"id": [1], "text": "an array id"}`,
		`{"id": 7, "text": "Ｙｏｕ ａｒｅ ａ ｍｏｒｏｎ — “quoted” é"}`,
		`{"id": 8, "text": "line\nbreaks\tand \"quotes\" inside"}`,
	}, "\n") + "\n"
	out, _, err := run(t, in, "score")
	if !errors.Is(err, errSomeFailed) {
		t.Fatalf("score with bad lines: err = %v, want errSomeFailed", err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if n := strings.Count(in, "\n"); len(lines) != n {
		t.Fatalf("%d output lines for %d input lines:\n%s", len(lines), n, out)
	}
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d is not JSON: %q", i+1, l)
		}
	}
	golden(t, "score.golden.jsonl", out)
}

func TestScoreIDsEchoedExactly(t *testing.T) {
	out, _, err := run(t, `{"id": 12345678901234567890, "text": "hi"}`+"\n"+`{"id": "x\"y", "text": "hi"}`, "score")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, `{"id":12345678901234567890,`) || !strings.Contains(out, `{"id":"x\"y",`) {
		t.Fatalf("ids not echoed exactly:\n%s", out)
	}
}

func TestScoreAllGood(t *testing.T) {
	out, _, err := run(t, `{"id": 1, "text": "hello there"}`, "score")
	if err != nil {
		t.Fatalf("no bad lines, yet err = %v", err)
	}
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("want one line without a trailing newline in the input, got %q", out)
	}
}

func TestScoreByteOrderMarkAndCRLF(t *testing.T) {
	out, _, err := run(t, "\ufeff{\"id\": 1, \"text\": \"hi\"}\r\n{\"id\": 2, \"text\": \"hi\"}\r\n", "score")
	if err != nil || strings.Count(out, `"scores"`) != 2 {
		t.Fatalf("err %v, output:\n%s", err, out)
	}
}

func TestScoreLongLine(t *testing.T) {
	long := strings.Repeat("you are an idiot ", 40000) // ~680 KB
	out, _, err := run(t, `{"id": 1, "text": "`+long+`"}`+"\n", "score")
	if err != nil || !strings.Contains(out, `"flagged":["offensive"`) {
		t.Fatalf("long line: err %v, output starts %.200q", err, out)
	}
}

func TestScoreModelErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.fwm")
	os.WriteFile(bad, []byte("this is not a model"), 0o644)
	if _, _, err := run(t, "", "score", "--model", bad); err == nil || !strings.Contains(err.Error(), "not a forewarn model") {
		t.Fatalf("corrupt model: err = %v", err)
	}
	if _, _, err := run(t, "", "score", "--model", filepath.Join(dir, "missing.fwm")); err == nil {
		t.Fatal("missing model: no error")
	}
	if _, _, err := run(t, "", "score", "a", "b"); err == nil {
		t.Fatal("two inputs: no error")
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update if the change is right)\ngot:\n%s\nwant:\n%s", p, got, want)
	}
}

func BenchmarkScore(b *testing.B) {
	c, err := comment.Default()
	if err != nil {
		b.Fatal(err)
	}
	line := []byte(`{"id": 17, "text": "@USER @USER Go home you’re drunk!!! This is the stupidest thing I have ever read, what a clown. #MAGA URL"}`)
	w := bufio.NewWriter(io.Discard)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		scoreLine(w, c, 1, line)
	}
}
