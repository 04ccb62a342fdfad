package topicmodel

import (
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/warn"
)

// examples are documents turned into features, with the groups and
// sources they came from.
type examples struct {
	ex     []linear.Example
	groups []string
	// soft holds each example's share of yes votes, or -1.
	soft []float32
	// ev holds per example and label the extra stacking inputs, or nil.
	ev [][][]float64
	// judged is true for the examples whose Webis labels annotators
	// gave; background negatives train those labels but take no part in
	// their calibration.
	judged []bool
	// src holds each example's source.
	src []Source
}

// backgroundWeight scales the loss of a background negative of a Webis
// label: there are many, and they should teach what ordinary text is
// without drowning the judged passages.
const backgroundWeight = 0.25

// counts reports whether example i's label l takes part in calibration.
// Background negatives do: calibrated on judged passages alone, where half
// are positive, a Webis label would give ordinary text a probability near
// one half. The thresholds of the Webis labels are then chosen on the
// judged passages (see threshold).
func (e examples) counts(i, l int) bool {
	return e.ex[i].Y[l] != dataset.Unknown
}

// featurize extracts the features of docs under fc.
func featurize(docs []Doc, fc features.Config, balance bool, evidence ...func(string) [][]float64) (examples, error) {
	if err := check(docs); err != nil {
		return examples{}, err
	}
	x, err := features.NewExtractor(fc)
	if err != nil {
		return examples{}, err
	}
	lex, err := warn.New(warn.Options{})
	if err != nil {
		return examples{}, err
	}
	weights := classWeights(docs, balance)
	out := examples{ex: make([]linear.Example, len(docs)), groups: make([]string, len(docs)), soft: make([]float32, len(docs)), judged: make([]bool, len(docs))}
	var buf []features.Feature
	for i, d := range docs {
		buf, _ = x.Extract(buf[:0], d.Text)
		// The lexicon's topics are inputs, as the detector gives them.
		for _, t := range lex.Detect(d.Text) {
			buf = x.AppendTag(buf, warn.LexiconTag(t.ID), 0, 1)
		}
		b := make([]uint32, len(buf))
		for j, f := range buf {
			b[j] = f.Bucket
		}
		out.ex[i] = linear.Example{Buckets: b, Y: d.Y, Weight: weights[i]}
		out.groups[i] = d.Group
		out.soft[i] = d.soft()
		out.judged[i] = d.Source == Webis
		out.src = append(out.src, d.Source)
		if len(evidence) > 0 && evidence[0] != nil {
			out.ev = append(out.ev, evidence[0](d.Text))
		}
	}
	return out, nil
}

// classWeights returns per document the weight that makes the positive and
// negative Webis passages of each label weigh the same; other documents
// weigh 1.
func classWeights(docs []Doc, balance bool) []float32 {
	w := make([]float32, len(docs))
	count := make([][2]float64, len(Labels))
	for _, d := range docs {
		if d.Source != Webis {
			continue
		}
		for l, y := range d.Y {
			if y != dataset.Unknown {
				count[l][y]++
			}
		}
	}
	for i, d := range docs {
		w[i] = 1
		if !balance || d.Source != Webis {
			continue
		}
		for l, y := range d.Y {
			if y != dataset.Unknown && count[l][0] > 0 && count[l][1] > 0 {
				w[i] = float32((count[l][0] + count[l][1]) / (2 * count[l][y]))
			}
		}
	}
	return w
}

// subset returns the examples at idx.
func (e examples) subset(idx []int) examples {
	out := examples{ex: make([]linear.Example, len(idx)), groups: make([]string, len(idx)), soft: make([]float32, len(idx)), judged: make([]bool, len(idx))}
	for i, j := range idx {
		out.ex[i], out.groups[i], out.soft[i], out.judged[i] = e.ex[j], e.groups[j], e.soft[j], e.judged[j]
		out.src = append(out.src, e.src[j])
		if e.ev != nil {
			out.ev = append(out.ev, e.ev[j])
		}
	}
	return out
}
