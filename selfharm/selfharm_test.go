package selfharm

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/textseg"
)

func defaultModel(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatalf("embedded model: %v", err)
	}
	return m
}

func TestDefault(t *testing.T) {
	m := defaultModel(t)
	if th := m.Threshold(); th <= 0 || th >= 1 {
		t.Errorf("threshold %v, want inside (0, 1)", th)
	}
	for _, k := range []string{"threshold/sdcnl", "threshold/cssrs", "target_kind_support"} {
		if m.Linear().Notes[k] == "" {
			t.Errorf("model notes have no %s", k)
		}
	}
}

// TestScore checks, on comments written for this test, that Score and
// ScoreTokens agree and that Apply puts the model's score, flag and
// evidence in place of the comment model's self_harm and keeps the rest.
func TestScore(t *testing.T) {
	m := defaultModel(t)
	for _, text := range []string{
		"Thank you for sharing this, it helped me.",
		"I can't stop thinking about killing myself tonight.",
		"",
		"🙂",
	} {
		p := m.Score(text)
		if p < 0 || p > 1 || math.IsNaN(p) {
			t.Fatalf("%q: score %v", text, p)
		}
		if q := m.ScoreTokens(textseg.Tokens(text)); q != p {
			t.Errorf("%q: ScoreTokens %v, Score %v", text, q, p)
		}
		labels := []string{"insult", Label}
		probs := []float64{0.9, 0.5}
		ev := []forewarn.Evidence{{Label: "insult", Start: 0, End: 1}, {Label: Label, Start: 0, End: 1}}
		flagged, ev := m.Apply(text, labels, probs, 0b11, ev)
		if probs[0] != 0.9 || probs[1] != p {
			t.Errorf("%q: probs %v, want [0.9 %v]", text, probs, p)
		}
		if want := p >= m.Threshold(); flagged&2 != 0 != want || flagged&1 == 0 {
			t.Errorf("%q: flagged %b at score %v", text, flagged, p)
		}
		if ev[0].Label != "insult" {
			t.Errorf("%q: evidence %v lost the insult", text, ev)
		}
		for _, e := range ev[1:] {
			if e.Label != Label || e.Start == 0 && e.End == 1 {
				t.Errorf("%q: evidence %v kept the old self_harm span", text, ev)
			}
		}
	}
	// The same words score the same, whatever else the pool served.
	a := m.Score("I don't want to be here anymore.")
	m.Score(strings.Repeat("long text ", 1000))
	if b := m.Score("I don't want to be here anymore."); a != b {
		t.Errorf("not deterministic: %v then %v", a, b)
	}
}

func TestNewRejectsOtherModels(t *testing.T) {
	lm := *defaultModel(t).Linear()
	lm.Labels = []string{"insult"}
	if _, err := New(&lm); err == nil {
		t.Error("a model without the self_harm label was accepted")
	}
}

func FuzzEvidence(f *testing.F) {
	f.Add("I want it all to stop.")
	f.Add("\xff\xfe I")
	f.Add("")
	m := defaultModel(f)
	f.Fuzz(func(t *testing.T, text string) {
		toks := textseg.Tokens(text)
		if p := m.ScoreTokens(toks); p < 0 || p > 1 || math.IsNaN(p) {
			t.Fatalf("score %v", p)
		}
		ev := m.Evidence(toks, nil)
		if len(ev) > forewarn.MaxEvidence {
			t.Fatalf("%d spans", len(ev))
		}
		for _, e := range ev {
			if e.Start < 0 || e.End > len(text) || e.Start >= e.End {
				t.Fatalf("span %d-%d out of %d bytes", e.Start, e.End, len(text))
			}
			if utf8.ValidString(text) && (!utf8.RuneStart(text[e.Start]) || e.End < len(text) && !utf8.RuneStart(text[e.End])) {
				t.Fatalf("span %d-%d not on rune boundaries of %q", e.Start, e.End, text)
			}
		}
	})
}

func BenchmarkScore(b *testing.B) {
	m := defaultModel(b)
	const text = "I don't know how much longer I can keep going like this."
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		m.Score(text)
	}
}

// TestStandIn checks the stand-in test parts of the support threshold on
// made-up scores: each of two folds holds the kind scores 0, 1/8, ...,
// 7/8 and one score that is not a kind comment.
func TestStandIn(t *testing.T) {
	var items []item
	var probs []float64
	var fold []int
	for f := range 2 {
		for i := range 8 {
			items, probs, fold = append(items, item{kind: true}), append(probs, float64(i)/8), append(fold, f)
		}
		items, probs, fold = append(items, item{}), append(probs, 1), append(fold, f)
	}
	for _, c := range []struct {
		macroF1, target float64
		want            float64
	}{
		// The other fold's 0.75 quantile is 5/8: 5/8, 6/8 and 7/8 reach it.
		{0.1, 0.25, 3.0 / 8},
		// The 0.5 quantile is 3/8.
		{0.1, 0.5, 5.0 / 8},
		// A higher macro-F1 threshold wins.
		{0.8, 0.25, 1.0 / 8},
		{0.9, 0.25, 0},
	} {
		got := standIn(items, probs, fold, 2, c.macroF1, c.target)
		if len(got) != 2 || got[0] != c.want || got[1] != c.want {
			t.Errorf("macro-F1 %v, target %v: shares %v, want %v in each fold", c.macroF1, c.target, got, c.want)
		}
	}
}
