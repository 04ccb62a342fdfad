package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/cli"
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
	if !errors.Is(err, cli.ErrSomeFailed) {
		t.Fatalf("score with bad lines: err = %v, want cli.ErrSomeFailed", err)
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

// scoreTolerance is how far a score in a golden file may move before the
// golden fails: a retrain moves scores by a few hundredths, and that alone
// should not rewrite the goldens; a decision, a flagged label, a reason
// or a span that moves fails at once.
const scoreTolerance = 0.05

// golden compares the JSON Lines output got with testdata/name line by
// line: every field exactly, except the numbers under "scores", which may
// differ by scoreTolerance. Under -update it rewrites the file.
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
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%d lines, %s has %d (run with -update if the change is right)", len(gl), p, len(wl))
	}
	for i := range gl {
		if msg := diffLine(gl[i], wl[i]); msg != "" {
			t.Errorf("%s line %d: %s (run with -update if the change is right)\ngot:  %s\nwant: %s", p, i+1, msg, gl[i], wl[i])
		}
	}
}

// scoresField is the "scores" object of an output line.
var scoresField = regexp.MustCompile(`"scores":\{[^}]*\}`)

// diffLine says how the output line got differs from want, or "" when
// they agree as golden requires: byte for byte outside "scores", and each
// score within scoreTolerance.
func diffLine(got, want string) string {
	if got == want {
		return ""
	}
	if scoresField.ReplaceAllString(got, "") != scoresField.ReplaceAllString(want, "") {
		return "fields other than the scores differ"
	}
	var g, w struct{ Scores map[string]float64 }
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil || len(g.Scores) != len(w.Scores) {
		return "the scores differ"
	}
	for k, wv := range w.Scores {
		if gv, ok := g.Scores[k]; !ok || math.Abs(gv-wv) > scoreTolerance {
			return fmt.Sprintf("score %s is %v, want %v within %v", k, g.Scores[k], wv, scoreTolerance)
		}
	}
	return ""
}
