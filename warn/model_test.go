package warn_test

import (
	"os"
	"testing"

	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/warn"
)

// modelDetector returns the shipped detector, the one the commands use.
func modelDetector(t testing.TB) *warn.Detector {
	t.Helper()
	d, err := detector.Default()
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

// BenchmarkDetectWithModel is BenchmarkDetect with the shipped detector,
// the model reading every passage.
func BenchmarkDetectWithModel(b *testing.B) {
	warn.BenchDetect(b, modelDetector(b))
}

// FuzzDetectWithModel is FuzzDetect on the shipped detector, the model
// reading every passage.
func FuzzDetectWithModel(f *testing.F) {
	for _, s := range warn.FuzzSeeds() {
		f.Add(s)
	}
	d := modelDetector(f)
	f.Fuzz(func(t *testing.T, text string) { warn.CheckDetect(t, d, text) })
}
