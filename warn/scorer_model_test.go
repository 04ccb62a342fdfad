package warn_test

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/textseg"
	"github.com/forewarn/forewarn/topicmodel"
	"github.com/forewarn/forewarn/warn"
)

// referenceScore is what ModelScorer.Score computes, written plainly over
// the model's own Margins and Contributions: the features of the passage
// extracted in one go, every label's margin, and for labels at or above
// threshold each sentence's margin alone.
func referenceScore(t *testing.T, m *linear.Model, toks []textseg.Token, ends []int, lexTopics []string) (probs, sentP []float64, sentTok []int) {
	t.Helper()
	ext, err := features.NewExtractor(m.Features)
	if err != nil {
		t.Fatal(err)
	}
	L, ns := len(m.Labels), len(ends)
	feats := ext.FromTokens(nil, toks)
	nTok := len(feats)
	for _, id := range lexTopics {
		feats = ext.AppendTag(feats, warn.LexiconTag(id), 0, 1)
	}
	z := make([]float64, L)
	m.Margins(feats, z)
	probs, sentP, sentTok = make([]float64, L), make([]float64, L*ns), make([]int, L*ns)
	for l := range L {
		probs[l] = m.Prob(l, z[l])
		if probs[l] < m.Thresholds[l] {
			continue
		}
		contrib := make([]float64, len(toks))
		m.Contributions(feats[:nTok], l, contrib)
		n := make([]int, ns)
		for _, f := range feats[:nTok] {
			// A bigram counts in the sentence of its second word.
			last := int(f.TokEnd) - 1
			s := 0
			for last >= ends[s] {
				s++
			}
			n[s]++
		}
		lo := 0
		for i, hi := range ends {
			best, sum := -1, 0.0
			for k := lo; k < hi; k++ {
				sum += contrib[k]
				if best < 0 || contrib[k] > contrib[best] {
					best = k
				}
			}
			sentTok[l*ns+i] = best
			zs := float64(m.Bias[l])
			if n[i] > 0 {
				zs += sum * math.Sqrt(float64(nTok)) / math.Sqrt(float64(n[i]))
			}
			sentP[l*ns+i] = m.Prob(l, zs)
			lo = hi
		}
	}
	return probs, sentP, sentTok
}

// TestModelScorerMatchesModel checks that the scorer's shortcut (a word
// form's features summed once and kept) gives the model's own
// probabilities and strongest words, on passages that repeat words, so
// that the kept forms are used, and again after the cache has seen them.
func TestModelScorerMatchesModel(t *testing.T) {
	m, ms := defaultModelScorer(t)
	tests := []struct {
		text string
		lex  []string
	}{
		{"He hit me again. I was eight months pregnant, and he hit me again.", []string{"domestic-abuse"}},
		{"The soldiers shelled the village at dawn. The village burned. Nobody came back to the village.", []string{"war"}},
		{"Use kill -9 to end the child process; the parent process then reaps it.", nil},
		{"She died in March. We buried her on a cold day, and I still talk to her every morning.", []string{"death", "grief"}},
		{"x", nil},
	}
	var seg textseg.Segmenter
	for round := range 2 {
		for _, tt := range tests {
			toks := seg.Append(nil, tt.text)
			var ends []int
			for i := range toks {
				if i > 0 && i%7 == 0 {
					ends = append(ends, i)
				}
			}
			ends = append(ends, len(toks))
			L, ns := len(m.Labels), len(ends)
			probs, sentP, sentTok := make([]float64, L), make([]float64, L*ns), make([]int, L*ns)
			ms.Score(toks, ends, tt.lex, probs, sentP, sentTok)
			wp, wsp, wst := referenceScore(t, m, toks, ends, tt.lex)
			for l := range L {
				if math.Abs(probs[l]-wp[l]) > 1e-5 {
					t.Errorf("round %d, %q: %s probability %v, model says %v", round, tt.text, m.Labels[l], probs[l], wp[l])
				}
				if probs[l] < m.Thresholds[l] {
					continue
				}
				for i := range ns {
					if math.Abs(sentP[l*ns+i]-wsp[l*ns+i]) > 1e-5 || sentTok[l*ns+i] != wst[l*ns+i] {
						t.Errorf("round %d, %q: %s sentence %d: %v at token %d, model says %v at %d", round, tt.text, m.Labels[l], i, sentP[l*ns+i], sentTok[l*ns+i], wsp[l*ns+i], wst[l*ns+i])
					}
				}
			}
		}
	}
}

// interfaceScorer hides a *ModelScorer behind the Scorer interface, so
// that a Detector reads through Score instead of sharing the scorer's
// word table (the shortcut a Detector takes with a *ModelScorer).
type interfaceScorer struct{ warn.Scorer }

// TestModelScorerShortcut checks that the detector's shortcut with a
// *ModelScorer (one word table for the lexicon's ids and the model's
// features) finds what the same model finds through the Scorer
// interface, topic for topic, span for span.
func TestModelScorerShortcut(t *testing.T) {
	m, ms := defaultModelScorer(t)
	var decides []string
	for _, id := range m.Labels {
		if !slices.Contains(topicmodel.WebisLabels(), id) {
			decides = append(decides, id)
		}
	}
	fast, err := warn.New(warn.Options{Scorer: ms, ModelDecides: decides})
	if err != nil {
		t.Fatal(err)
	}
	slow, err := warn.New(warn.Options{Scorer: interfaceScorer{ms}, ModelDecides: decides})
	if err != nil {
		t.Fatal(err)
	}
	article := warn.BenchArticle()
	article = article[:strings.LastIndex(article[:20000], "\n\n")]
	texts := append(slices.Clone(warn.Innocent), article,
		"The first time he hit me I was eight months pregnant. He said sorry, and then he hit me again, harder, in front of the children.",
		"He was found hanged in his garage. His wife said he had been talking about ending it for months.")
	for round := range 2 {
		for _, text := range texts {
			got, want := fast.Detect(text), slow.Detect(text)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round %d, %.60q: shortcut gives %v, the interface %v", round, text, got, want)
			}
		}
	}
}

// TestModelScorerManyForms reads passages with more distinct word forms
// than the scorer's word table keeps, through Score and through a
// Detector: the table must not start again within a passage, whose
// tokens hold their entries.
func TestModelScorerManyForms(t *testing.T) {
	m, ms := defaultModelScorer(t)
	var b strings.Builder
	for i := range 40000 {
		// Distinct letters-only forms: "qab", "qac", ...
		b.WriteByte('q')
		for n := i; ; n /= 26 {
			b.WriteByte(byte('a' + n%26))
			if n < 26 {
				break
			}
		}
		b.WriteByte(' ')
	}
	text := b.String()
	var seg textseg.Segmenter
	toks := seg.Append(nil, text)
	L := len(m.Labels)
	for range 2 {
		probs, sentP, sentTok := make([]float64, L), make([]float64, L), make([]int, L)
		ms.Score(toks, []int{len(toks)}, nil, probs, sentP, sentTok)
		wp, _, _ := referenceScore(t, m, toks, []int{len(toks)}, nil)
		for l := range L {
			if math.Abs(probs[l]-wp[l]) > 1e-5 {
				t.Errorf("%s probability %v, model says %v", m.Labels[l], probs[l], wp[l])
			}
		}
	}
	d, err := warn.New(warn.Options{Scorer: ms})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		d.Detect(text)
	}
}

// defaultModelScorer returns the embedded topic model and a scorer of it.
func defaultModelScorer(t *testing.T) (*linear.Model, *warn.ModelScorer) {
	t.Helper()
	m, err := topicmodel.Default()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := warn.NewModelScorer(m)
	if err != nil {
		t.Fatal(err)
	}
	return m, ms
}
