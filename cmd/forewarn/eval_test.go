package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/comment"
)

// TestEvalFairness checks the command's wiring: it prints exactly the
// table of the library's evaluation on the embedded model. The floors on
// false hate flags and on the gap between identities are
// comment.TestEvalFairness's.
func TestEvalFairness(t *testing.T) {
	out, _, err := run(t, "", "eval", "--task", "fairness")
	if err != nil {
		t.Fatal(err)
	}
	c, err := comment.Default()
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if err := comment.EvalFairness(c).Write(&want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, want.String()) {
		t.Errorf("eval --task fairness printed\n%s\nwant the library's table\n%s", out, want.String())
	}
}

func TestEvalErrors(t *testing.T) {
	if _, _, err := run(t, "", "eval", "--task", "nonsense"); err == nil {
		t.Error("unknown task: no error")
	}
	if _, _, err := run(t, "", "eval", "--data", filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("missing data: no error")
	}
	if _, _, err := run(t, "", "eval", "--task", "fairness", "--stack-comments"); err == nil || !strings.Contains(err.Error(), "--stack-comments") {
		t.Errorf("--stack-comments on fairness: err = %v", err)
	}
	if _, _, err := run(t, "", "eval", "--task", "webis", "--stack-comments", "--model", filepath.Join(t.TempDir(), "none.fwm")); err == nil || !strings.Contains(err.Error(), "load model") {
		t.Errorf("--stack-comments with a missing comment model: err = %v", err)
	}
}

func TestTrainFlags(t *testing.T) {
	out, _, err := run(t, "", "train", "--print-config")
	if err != nil || !strings.Contains(out, `"team"`) || !strings.Contains(out, `"features"`) {
		t.Fatalf("print-config: %v\n%s", err, out)
	}
	if _, _, err := run(t, "", "train"); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("train without --out: err = %v", err)
	}
	if _, _, err := run(t, "", "train", "--task", "poems", "--out", "x"); err == nil {
		t.Error("unknown task: no error")
	}
}

func TestHelp(t *testing.T) {
	_, stderr, _ := run(t, "", "help")
	for _, c := range commands {
		if !strings.Contains(stderr, c.Name) {
			t.Errorf("help does not list %s", c.Name)
		}
	}
	if _, _, err := run(t, "", "frobnicate"); err == nil {
		t.Error("unknown command: no error")
	}
}
