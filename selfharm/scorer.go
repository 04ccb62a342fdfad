package selfharm

import (
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/textseg"
)

// Scorer scores comments as "forewarn score" reports them: every head of
// a comment classifier, with the self_harm head judged by a self-harm
// model instead (see Model.Apply). It implements jsonl.Scorer.
type Scorer struct {
	c    *comment.Classifier
	sh   *Model
	pool sync.Pool // of *segScratch
}

// segScratch holds one goroutine's segmenter and tokens: the text is
// segmented once, for both models.
type segScratch struct {
	seg  textseg.Segmenter
	toks []textseg.Token
}

// NewScorer returns the scorer of c whose self_harm head is sh's.
func NewScorer(c *comment.Classifier, sh *Model) *Scorer {
	s := &Scorer{c: c, sh: sh}
	s.pool.New = func() any { return new(segScratch) }
	return s
}

// Labels returns the comment classifier's labels: the order of the scores.
func (s *Scorer) Labels() []string { return s.c.Labels() }

// Explain writes the score of every label into probs (one per label) and
// returns the labels that reached their thresholds as a bit set and the
// evidence for them appended to ev.
func (s *Scorer) Explain(text string, probs []float64, ev []forewarn.Evidence) (uint64, []forewarn.Evidence) {
	b := s.pool.Get().(*segScratch)
	defer s.pool.Put(b)
	b.toks = b.seg.Append(b.toks[:0], text)
	flagged, ev := s.c.ExplainTokens(text, b.toks, probs, ev)
	return s.sh.ApplyTokens(b.toks, s.c.Labels(), probs, flagged, ev)
}
