package forewarn

import "math"

// scoreScale rounds scores to 4 decimal places in every output: the models'
// probabilities are calibrated to about two places, so four keep every
// difference that means something and drop the float noise
// (0.7000000000002999) that would otherwise reach people and diffs.
const scoreScale = 1e4

// RoundScore returns x rounded to the 4 places that outputs show.
func RoundScore(x float64) float64 { return math.Round(x*scoreScale) / scoreScale }

// ShownScores rounds every score in m in place and returns m, or an empty
// map for nil, so that JSON shows an object rather than null.
func ShownScores(m map[string]float64) map[string]float64 {
	if m == nil {
		return map[string]float64{}
	}
	for k, v := range m {
		m[k] = RoundScore(v)
	}
	return m
}

// ShownTopics rounds the topics' scores in place and returns them with
// empty rather than nil lists, so that JSON shows [] and never null.
func ShownTopics(t []Topic) []Topic {
	if t == nil {
		return []Topic{}
	}
	for i := range t {
		t[i].Score = RoundScore(t[i].Score)
		if t[i].Evidence == nil {
			t[i].Evidence = []TopicEvidence{}
		}
	}
	return t
}

// Shown returns c ready to show: scores rounded and empty rather than nil
// lists and maps.
func (c *Comment) Shown() *Comment {
	c.Scores = ShownScores(c.Scores)
	if c.Reasons == nil {
		c.Reasons = []string{}
	}
	if c.Evidence == nil {
		c.Evidence = []Evidence{}
	}
	return c
}
