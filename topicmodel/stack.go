package topicmodel

import "github.com/forewarn/forewarn/comment"

// CommentEvidence returns a Config.Evidence that gives every label the
// comment classifier's scores of a text (offensive, targeted, hate) as
// stacking inputs. The comment model learned hostile language from
// tweets; its scores carry that to the Webis passages, whose own 178 to
// 737 examples per warning are too few to learn slurs and insults from.
//
// It is for evaluation: the embedded topic model does not use it, since
// its file format holds no stack over another model's outputs.
func CommentEvidence(c *comment.Classifier) func(text string) [][]float64 {
	labels := c.Labels()
	return func(text string) [][]float64 {
		r := c.Classify(text)
		x := make([]float64, len(labels))
		for i, l := range labels {
			x[i] = r.Scores[l]
		}
		out := make([][]float64, len(Labels))
		for i := range out {
			out[i] = x
		}
		return out
	}
}
