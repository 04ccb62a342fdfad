package warn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/textseg"
)

// fakeScorer says "war" with probability p for any passage holding word,
// and "death" with probability 0.7 for a passage in which the lexicon
// found death.
type fakeScorer struct {
	word string
	p    float64
}

func (f fakeScorer) Labels() []string      { return []string{"war", "death"} }
func (f fakeScorer) Thresholds() []float64 { return []float64{0.5, 0.5} }
func (f fakeScorer) Score(toks []textseg.Token, ends []int, lexTopics []string, probs, sentP []float64, sentTok []int) {
	probs[0], probs[1] = 0.1, 0.2
	if slices.Contains(lexTopics, "death") {
		probs[1] = 0.7
	}
	ns := len(ends)
	lo := 0
	for i, hi := range ends {
		sentTok[i], sentTok[ns+i] = lo, lo
		sentP[i], sentP[ns+i] = 0.1, probs[1]
		for k := lo; k < hi; k++ {
			if toks[k].Plain == f.word {
				probs[0], sentP[i], sentTok[i] = f.p, f.p, k
			}
		}
		if lo == hi {
			sentTok[i], sentTok[ns+i] = -1, -1
		}
		lo = hi
	}
}

func TestLearnedScorer(t *testing.T) {
	d, err := New(Options{Scorer: fakeScorer{word: "skirmish", p: 0.8}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text  string
		want  []string
		score float64
	}{
		// The model finds a topic without the lexicon's words.
		{"A skirmish broke out along the border at dawn.", []string{"war"}, 0.8},
		// Model and lexicon together are surer than either.
		{"The war reached the valley, and a skirmish followed.", []string{"war"}, 0.98},
		// A lexicon phrase of a topic the model does not find counts
		// for nothing in a text long enough for the model to judge...
		{"The war reached the valley on a grey morning in late autumn, and the farmers along the river road watched the long columns pass their gates until the light went.", nil, 0},
		// ...but does in a line too short for it.
		{"The war reached the valley.", []string{"war"}, 0.9},
		// Below threshold the model adds nothing.
		{"The weather was fine.", nil, 0},
	}
	for _, tt := range tests {
		ts := d.Earning(d.Detect(tt.text))
		if got := ids(ts); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.text, got, tt.want)
			continue
		}
		if len(ts) > 0 && ts[0].Score != tt.score {
			t.Errorf("%q: score %v, want %v", tt.text, ts[0].Score, tt.score)
		}
		if len(ts) > 0 && strings.Contains(tt.text, "skirmish") && tt.text[ts[0].Evidence[len(ts[0].Evidence)-1].Start:ts[0].Evidence[len(ts[0].Evidence)-1].End] != "skirmish" {
			t.Errorf("%q: evidence %+v does not point at the model's strongest word", tt.text, ts[0].Evidence)
		}
	}
	// The lexicon's topics are inputs of the model.
	if got := ids(d.Earning(d.Detect("Her grandfather died last spring."))); !slices.Equal(got, []string{"death"}) {
		t.Errorf("lexicon topic not passed to the model: got %v", got)
	}
	// Innocent phrases are kept from the model.
	d, _ = New(Options{Scorer: fakeScorer{word: "killing", p: 0.9}})
	if got := ids(d.Earning(d.Detect("She was killing it on stage."))); len(got) != 0 {
		t.Errorf("innocent idiom reached the model: %v", got)
	}
	if _, err := New(Options{Scorer: badScorer{}}); err == nil {
		t.Error("scorer with an unknown label: no error")
	}
}

type badScorer struct{ fakeScorer }

func (badScorer) Labels() []string { return []string{"weather"} }

// TestModelDecides checks that a topic the model finds just past its
// threshold earns a warning under the default policy when the label is
// one the model decides, and that its probability alone, under the
// policy's min_score, does not otherwise; a short text keeps the
// probability either way.
func TestModelDecides(t *testing.T) {
	long := "A skirmish broke out along the border at dawn, and by the afternoon the villages on both sides of the river had emptied, their people walking south along the old road with what they could carry."
	short := "A skirmish broke out along the border at dawn."
	tests := []struct {
		decides []string
		text    string
		want    []string
		score   float64
	}{
		{nil, long, nil, 0},
		{[]string{"war"}, long, []string{"war"}, 0.64},
		{[]string{"death"}, long, nil, 0},
		{[]string{"war"}, short, nil, 0},
	}
	for _, tt := range tests {
		d, err := New(Options{Scorer: fakeScorer{word: "skirmish", p: 0.55}, ModelDecides: tt.decides})
		if err != nil {
			t.Fatal(err)
		}
		ts := d.Earning(d.Detect(tt.text))
		if got := ids(ts); !slices.Equal(got, tt.want) {
			t.Errorf("decides %v, %.20q: got %v, want %v", tt.decides, tt.text, got, tt.want)
			continue
		}
		if len(ts) > 0 && math.Abs(ts[0].Score-tt.score) > 1e-9 {
			t.Errorf("decides %v: score %v, want %v", tt.decides, ts[0].Score, tt.score)
		}
	}
}
