package warn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/topicmodel"

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

// brownTexts returns the held-out part of the Brown corpus
// (dataset.HeldOut) cut into texts of 100 KB, or skips b without it.
func brownTexts(b *testing.B) []string {
	ps, err := dataset.Brown(filepath.Join("..", "..", "shared", "data", topicmodel.BrownPath))
	if err != nil {
		b.Skipf("Brown corpus not available (%v); it lives in the shared data folder", err)
	}
	var texts []string
	var sb strings.Builder
	for _, p := range ps {
		if !dataset.HeldOut(p.Group) {
			continue
		}
		sb.WriteString(p.Text)
		sb.WriteString("\n\n")
		if sb.Len() >= 100<<10 {
			texts = append(texts, sb.String())
			sb.Reset()
		}
	}
	return texts
}

// benchTexts measures d on texts, a different one each call.
func benchTexts(b *testing.B, d *warn.Detector, texts []string) {
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n / int64(len(texts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.Detect(texts[i%len(texts)])
		i++
	}
}

// BenchmarkDetectWithModelBrown is BenchmarkDetectWithModel on real prose
// instead of the article of repeated paragraphs: the held-out Brown
// texts of brownTexts, a different one each call, so that the scorer
// keeps meeting word forms it has not seen.
func BenchmarkDetectWithModelBrown(b *testing.B) {
	benchTexts(b, modelDetector(b), brownTexts(b))
}

// BenchmarkDetectBrown is the peer of BenchmarkDetectWithModelBrown: the
// lexicon alone on the same texts.
func BenchmarkDetectBrown(b *testing.B) {
	d, err := warn.New(warn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchTexts(b, d, brownTexts(b))
}
