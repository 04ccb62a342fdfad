package moderate_test

import (
	"io"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/moderate"
)

func TestRunEvalUnknownTask(t *testing.T) {
	m, err := moderate.LoadFiles("", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := moderate.RunEval(io.Discard, m, "olid", t.TempDir(), "", ""); err == nil {
		t.Error("a task of another package: no error")
	}
	for task := range moderate.EvalTasks {
		if err := moderate.RunEval(io.Discard, m, task, t.TempDir(), "", ""); err == nil {
			t.Errorf("%s on an empty data folder: no error", task)
		}
	}
}

// TestSupportInfo checks that serve's support information is the policy's:
// the number written into the text, and the follow-up promise only when on.
func TestSupportInfo(t *testing.T) {
	p := moderate.DefaultPolicy()
	p.SupportNumber = "988"
	s := p.SupportInfo()
	if s.Number != "988" || s.Text != p.SupportText() || s.FollowUp || !strings.Contains(s.Text, "988") {
		t.Errorf("default policy with a number: %+v", s)
	}
	p.FollowUp = true
	if s := p.SupportInfo(); !s.FollowUp || s.Text != p.SupportText() {
		t.Errorf("with follow-up: %+v", s)
	}
}
