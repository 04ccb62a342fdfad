package jsonl

import "github.com/forewarn/forewarn"

// LineFunc appends the output object for one input line, id and text, to
// b (see Map).
type LineFunc = func(b, id []byte, text string) ([]byte, error)

// Scorer scores comments for ScoreLine.
type Scorer interface {
	// Labels returns the names of the scores, in order.
	Labels() []string
	// Explain writes the score of every label into probs (one per label)
	// and returns the labels that reached their thresholds as a bit set
	// and the evidence for them appended to ev.
	Explain(text string, probs []float64, ev []forewarn.Evidence) (flagged uint64, evidence []forewarn.Evidence)
}

// ScoreLine returns the line function of "forewarn score": s's scores,
// flagged labels and evidence for one comment (AppendScored). It reuses
// its buffers from call to call, as Map makes them one at a time, so it is
// not safe for concurrent use.
func ScoreLine(s Scorer) LineFunc {
	labels := s.Labels()
	probs := make([]float64, len(labels))
	var ev []forewarn.Evidence
	return func(b, id []byte, text string) ([]byte, error) {
		var flagged uint64
		flagged, ev = s.Explain(text, probs, ev[:0])
		return AppendScored(b, id, labels, probs, flagged, ev), nil
	}
}

// WarnLine returns the line function of "forewarn warn --jsonl": d's
// warning of one text in the default style (AppendWarning), counted in sum
// when sum is not nil.
func WarnLine(d forewarn.Detector, sum *Summary) LineFunc {
	return func(b, id []byte, text string) ([]byte, error) {
		w, err := d.Warn(text, "")
		if err != nil {
			return nil, err
		}
		if sum != nil {
			sum.Add(w, false)
		}
		return AppendWarning(b, id, w), nil
	}
}

// VerdictLine returns the line function of "forewarn moderate": mod's
// decision on one comment on post (AppendVerdict), with its evidence
// merged as the API merges it (forewarn.MergeEvidence) and its scores in
// the order of names.
func VerdictLine(mod forewarn.Moderator, post *forewarn.Post, names []string) LineFunc {
	return func(b, id []byte, text string) ([]byte, error) {
		v := mod.Decide(post, text)
		v.Evidence = forewarn.MergeEvidence(v.Evidence, forewarn.MaxEvidence)
		return AppendVerdict(b, id, names, v), nil
	}
}
