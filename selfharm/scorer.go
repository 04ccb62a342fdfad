package selfharm

import (
	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
)

// Scorer scores comments as "forewarn score" reports them: every head of
// a comment classifier, with the self_harm head judged by a self-harm
// model instead (see Model.Apply). It implements jsonl.Scorer.
type Scorer struct {
	c  *comment.Classifier
	sh *Model
}

// NewScorer returns the scorer of c whose self_harm head is sh's.
func NewScorer(c *comment.Classifier, sh *Model) *Scorer { return &Scorer{c: c, sh: sh} }

// Labels returns the comment classifier's labels: the order of the scores.
func (s *Scorer) Labels() []string { return s.c.Labels() }

// Explain writes the score of every label into probs (one per label) and
// returns the labels that reached their thresholds as a bit set and the
// evidence for them appended to ev.
func (s *Scorer) Explain(text string, probs []float64, ev []forewarn.Evidence) (uint64, []forewarn.Evidence) {
	flagged, ev := s.c.Explain(text, probs, ev)
	return s.sh.Apply(text, s.c.Labels(), probs, flagged, ev)
}
