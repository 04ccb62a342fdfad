package warn

import (
	"fmt"
	"slices"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/textseg"
)

// Scorer is a learned topic model. Its labels are taxonomy topic ids.
// Implementations are safe for concurrent use.
type Scorer interface {
	// Labels returns the topic ids the model scores, in order.
	Labels() []string
	// Thresholds returns, per label, the probability at or above which a
	// passage is about the topic.
	Thresholds() []float64
	// Score writes into probs, per label, the calibrated probability that
	// the passage made of toks is about the topic.
	Score(toks []textseg.Token, probs []float64)
	// Strongest returns the index in toks of the token that adds most to
	// label l, to show as evidence.
	Strongest(toks []textseg.Token, l int) int
}

// passageTokens is the length a passage given to the learned model grows
// to: paragraphs are joined until they reach it, since the models learned
// from passages of a few sentences.
const passageTokens = 80

// learned runs the scorer over passages of whole paragraphs and adds a hit
// at the strongest token of every passage a label reaches its threshold in.
// Tokens of innocent phrases and negated hits are left out.
//
// The model grades topics; it does not find them alone. A label counts
// only when the lexicon has a real hit for its topic somewhere in the
// text, and only passages holding a real hit of one of the model's topics
// are scored. The public labelled data judged candidate passages, each
// already suspected of its topic, so a model's score on ordinary text
// means little without a phrase that names the topic; skipping the other
// passages also keeps long articles fast.
func (d *Detector) learned(s *scratch, hits []hit) []hit {
	labels := d.scorer.Labels()
	thr := d.scorer.Thresholds()
	found := s.found[:0]
	for range labels {
		found = append(found, false)
	}
	s.found = found
	s.cue = append(s.cue[:0], make([]bool, len(s.toks))...)
	any := false
	for _, h := range hits {
		if h.support {
			continue
		}
		if l := slices.Index(labels, Taxonomy[h.topic].ID); l >= 0 {
			found[l], s.cue[h.tok], any = true, true, true
		}
	}
	if !any {
		return hits
	}
	if cap(s.probs) < len(labels) {
		s.probs = make([]float64, len(labels))
	}
	probs := s.probs[:len(labels)]
	var pass []textseg.Token
	var idx []int
	cued := false
	flush := func() {
		if len(pass) == 0 || !cued {
			pass, idx, cued = pass[:0], idx[:0], false
			return
		}
		d.scorer.Score(pass, probs)
		for l, p := range probs {
			if !found[l] || p < thr[l] {
				continue
			}
			k := idx[d.scorer.Strongest(pass, l)]
			hits = append(hits, hit{topic: topicIndex[labels[l]], weight: p, tok: k, end: k + 1, name: -1, learned: true})
		}
		pass, idx, cued = pass[:0], idx[:0], false
	}
	para := int32(-1)
	for i, t := range s.toks {
		if p := s.paraOf[s.sentOf[i]]; p != para {
			para = p
			if len(pass) >= passageTokens {
				flush()
			}
		}
		if s.masked[i] {
			continue
		}
		cued = cued || s.cue[i]
		pass = append(pass, t)
		idx = append(idx, i)
	}
	flush()
	return hits
}

// ModelScorer adapts a linear topic model to Scorer.
type ModelScorer struct {
	m    *linear.Model
	pool sync.Pool // *modelScratch
}

type modelScratch struct {
	ext     *features.Extractor
	feats   []features.Feature
	z       []float64
	contrib []float64
}

var _ Scorer = (*ModelScorer)(nil)

// NewModelScorer wraps m, whose labels must be taxonomy topic ids.
func NewModelScorer(m *linear.Model) (*ModelScorer, error) {
	for _, id := range m.Labels {
		if _, ok := topicIndex[id]; !ok {
			return nil, fmt.Errorf("model label %q is not a topic: %w", id, forewarn.ErrBadModel)
		}
	}
	if len(m.Thresholds) != len(m.Labels) {
		return nil, fmt.Errorf("model has %d thresholds for %d labels: %w", len(m.Thresholds), len(m.Labels), forewarn.ErrBadModel)
	}
	if _, err := features.NewExtractor(m.Features); err != nil {
		return nil, fmt.Errorf("model features: %w", err)
	}
	return &ModelScorer{m: m}, nil
}

func (ms *ModelScorer) scratch() *modelScratch {
	if x, ok := ms.pool.Get().(*modelScratch); ok {
		return x
	}
	ext, _ := features.NewExtractor(ms.m.Features) // checked in NewModelScorer
	return &modelScratch{ext: ext, z: make([]float64, len(ms.m.Labels))}
}

// Labels implements Scorer.
func (ms *ModelScorer) Labels() []string { return ms.m.Labels }

// Thresholds implements Scorer.
func (ms *ModelScorer) Thresholds() []float64 { return ms.m.Thresholds }

// Score implements Scorer.
func (ms *ModelScorer) Score(toks []textseg.Token, probs []float64) {
	x := ms.scratch()
	defer ms.pool.Put(x)
	x.feats = x.ext.FromTokens(x.feats[:0], toks)
	ms.m.Margins(x.feats, x.z)
	for l, z := range x.z {
		probs[l] = ms.m.Prob(l, z)
	}
}

// Strongest implements Scorer.
func (ms *ModelScorer) Strongest(toks []textseg.Token, l int) int {
	x := ms.scratch()
	defer ms.pool.Put(x)
	x.feats = x.ext.FromTokens(x.feats[:0], toks)
	x.contrib = append(x.contrib[:0], make([]float64, len(toks))...)
	ms.m.Contributions(x.feats, l, x.contrib)
	best := 0
	for i, c := range x.contrib {
		if c > x.contrib[best] {
			best = i
		}
	}
	return best
}
