package warn_test

import (
	"os"
	"testing"

	"github.com/forewarn/forewarn/topicmodel"
	"github.com/forewarn/forewarn/warn"
)

// modelDetector returns the detector with the embedded topic model, as
// the warn command builds it.
func modelDetector(t testing.TB) *warn.Detector {
	t.Helper()
	m, err := topicmodel.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := warn.NewModelScorer(m)
	if err != nil {
		t.Fatal(err)
	}
	d, err := warn.New(warn.Options{Scorer: sc})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGoldenArticleWithModel holds the golden case with the learned model
// grading the lexicon's topics.
func TestGoldenArticleWithModel(t *testing.T) {
	b, err := os.ReadFile(warn.Fixture)
	if err != nil {
		t.Skipf("golden article not available (%v); it lives in the shared data folder", err)
	}
	d := modelDetector(t)
	w, err := d.Warn(string(b), "news")
	if err != nil {
		t.Fatal(err)
	}
	warn.CheckGoldenTopics(t, w.Topics)
	t.Logf("news: %s", w.Line)
}

// TestNoFalseAlarmsWithModel runs the everyday texts through the detector
// with the model: none may earn a warning.
func TestNoFalseAlarmsWithModel(t *testing.T) {
	d := modelDetector(t)
	for _, text := range warn.Innocent {
		w, err := d.Warn(text, "news")
		if err != nil {
			t.Fatal(err)
		}
		if len(w.Topics) > 0 {
			t.Errorf("%q: warning %q", text, w.Line)
		}
	}
}

// BenchmarkDetectWithModel is BenchmarkDetect with the embedded model.
func BenchmarkDetectWithModel(b *testing.B) {
	warn.BenchDetect(b, modelDetector(b))
}
