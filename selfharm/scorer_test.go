package selfharm

import (
	"slices"
	"testing"

	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/jsonl"
)

// TestScorer checks that the scorer reports the comment model's heads
// unchanged and the self-harm model's score in place of self_harm.
func TestScorer(t *testing.T) {
	c, err := comment.Default()
	if err != nil {
		t.Fatal(err)
	}
	sh := defaultModel(t)
	s := NewScorer(c, sh)
	labels := s.Labels()
	l := slices.Index(labels, Label)
	if l < 0 {
		t.Fatalf("labels %v have no %s", labels, Label)
	}
	for _, text := range []string{
		"you are a disgrace, shut up",
		"I can't stop thinking about killing myself tonight.",
	} {
		want := make([]float64, len(labels))
		c.Explain(text, want, nil)
		got := make([]float64, len(labels))
		flagged, ev := s.Explain(text, got, nil)
		for i := range labels {
			if i != l && got[i] != want[i] {
				t.Errorf("%q: %s %v, the comment model says %v", text, labels[i], got[i], want[i])
			}
		}
		if p := sh.Score(text); got[l] != p {
			t.Errorf("%q: self_harm %v, the self-harm model says %v", text, got[l], p)
		}
		if flagged&(1<<l) != 0 != (got[l] >= sh.Threshold()) {
			t.Errorf("%q: self_harm flagged %v at %v (threshold %v)", text, flagged&(1<<l) != 0, got[l], sh.Threshold())
		}
		for _, e := range ev {
			if e.Label == Label && flagged&(1<<l) == 0 {
				t.Errorf("%q: self_harm evidence %v without the flag", text, e)
			}
		}
	}
}

// BenchmarkScoreLine measures "forewarn score" on one line: parsing,
// scoring with the embedded models and writing the output line.
func BenchmarkScoreLine(b *testing.B) {
	c, err := comment.Default()
	if err != nil {
		b.Fatal(err)
	}
	line := []byte(`{"id": 17, "text": "@USER @USER Go home you’re drunk!!! This is the stupidest thing I have ever read, what a clown. #MAGA URL"}`)
	fn := jsonl.ScoreLine(NewScorer(c, defaultModel(b)))
	var buf []byte
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		id, text, _ := jsonl.Parse(line)
		buf, _ = fn(buf[:0], id, text)
	}
}

var _ jsonl.Scorer = (*Scorer)(nil)
