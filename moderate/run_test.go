package moderate_test

import (
	"io"
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
