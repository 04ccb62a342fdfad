package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalFairness(t *testing.T) {
	out, _, err := run(t, "", "eval", "--task", "fairness")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"women", "gay", "trans", "black", "muslim", "jewish", "disabled", "all"} {
		if !strings.Contains(out, id) {
			t.Errorf("fairness table lacks %q:\n%s", id, out)
		}
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
