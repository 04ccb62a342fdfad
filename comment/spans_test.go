package comment

import (
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/textseg"
)

func TestSpanF1(t *testing.T) {
	for _, c := range []struct {
		name string
		pred []forewarn.Span
		gold []dataset.ByteSpan
		want float64
	}{
		{"both empty", nil, nil, 1},
		{"gold empty", []forewarn.Span{{Start: 0, End: 3}}, nil, 0},
		{"pred empty", nil, []dataset.ByteSpan{{Start: 0, End: 3}}, 0},
		{"exact", []forewarn.Span{{Start: 2, End: 6}}, []dataset.ByteSpan{{Start: 2, End: 6}}, 1},
		{"half", []forewarn.Span{{Start: 0, End: 4}}, []dataset.ByteSpan{{Start: 2, End: 6}}, 0.5},
		{"disjoint", []forewarn.Span{{Start: 0, End: 2}}, []dataset.ByteSpan{{Start: 4, End: 6}}, 0},
	} {
		if got := SpanF1(c.pred, c.gold); got != c.want {
			t.Errorf("%s: SpanF1 = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestJoinSpans(t *testing.T) {
	text := "you stupid ugly troll, go away"
	var seg textseg.Segmenter
	toks := seg.Append(nil, text)
	probs := []float64{0.1, 0.9, 0.8, 0.7, 0.2, 0.9}
	got := joinSpans(nil, text, toks, 0.5, func(i int) float64 { return probs[i] })
	want := []forewarn.Span{{Start: 4, End: 21}, {Start: 26, End: 30}}
	if len(got) != len(want) {
		t.Fatalf("spans %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("span %d = %v (%q), want %v", i, got[i], text[got[i].Start:got[i].End], want[i])
		}
	}
}

// TestSpansPointAtTheInsult checks the embedded span model on a comment of
// the kind it learned from.
func TestSpansPointAtTheInsult(t *testing.T) {
	c := defaultClassifier(t)
	if c.Spans() == nil {
		t.Fatal("no span model embedded")
	}
	text := "Only a complete idiot would believe this."
	spans := c.Spans().Find(nil, text, c.Spans().scratch())
	found := false
	for _, s := range spans {
		found = found || text[s.Start:s.End] == "idiot" || text[s.Start:s.End] == "complete idiot"
	}
	if !found {
		t.Errorf("spans %v do not point at the insult", spans)
	}
}

func FuzzSpans(f *testing.F) {
	c := defaultClassifier(f)
	for _, s := range []string{"", "you idiot", "stupid  ugly\ttroll", "é idiot é", "\xffidiot\xfe"} {
		f.Add(s)
	}
	sm := c.Spans()
	sc := sm.scratch()
	f.Fuzz(func(t *testing.T, text string) {
		spans := sm.Find(nil, text, sc)
		last := -1
		for _, s := range spans {
			if s.Start < 0 || s.End > len(text) || s.Start >= s.End || s.Start <= last {
				t.Fatalf("spans %v out of order or bounds for %d bytes", spans, len(text))
			}
			last = s.End
		}
		if again := sm.Find(nil, text, sc); len(again) != len(spans) {
			t.Fatal("not deterministic")
		}
	})
}

func BenchmarkSpans(b *testing.B) {
	c := defaultClassifier(b)
	sm := c.Spans()
	sc := sm.scratch()
	text := "Only a complete idiot would believe this, you pathetic clown."
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		sm.Find(nil, text, sc)
	}
}
