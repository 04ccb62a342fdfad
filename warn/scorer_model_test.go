package warn_test

import (
	"math"
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
	m, err := topicmodel.Default()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := warn.NewModelScorer(m)
	if err != nil {
		t.Fatal(err)
	}
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
