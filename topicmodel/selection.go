package topicmodel

import (
	"slices"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
)

// oofScore is the objective of the best threshold on out-of-fold margins.
func oofScore(z []float64, y []int8, obj metrics.Objective) float64 {
	if len(z) == 0 {
		return 0
	}
	m := &linear.Model{Header: linear.Header{Labels: []string{""}, Thresholds: []float64{0.5}, PlattA: []float64{1}, PlattB: []float64{0}}}
	m.CalibrateLabel(0, z, y, obj)
	var c metrics.Confusion
	for i, v := range z {
		c.Add(m.Prob(0, v) >= m.Thresholds[0], y[i] == 1)
	}
	return obj.Of(c)
}

// everydayShare is the largest share of the everyday negatives of a
// label that its threshold may let through on the out-of-fold margins: the target of one false alarm in a hundred everyday
// paragraphs, below the 2% and 5% the everyday evaluation allows.
const everydayShare = 0.01

// half applies Config.Half, or else threshold.
func (f *fitted) half(cfg Config) {
	for l := range Labels {
		if cfg.Half && objective(l) == metrics.Accuracy {
			f.Thresholds[l] = 0.5
			continue
		}
		f.threshold(l)
	}
}

// ownLabel reports whether documents of source src carry label l as the
// source gave it, rather than as a background negative.
func ownLabel(src Source, l int) bool {
	switch src {
	case Webis:
		return isWebis[l]
	case Dreaddit:
		return slices.Contains(dataset.DreadditTopics, Labels[l])
	case CSSRS:
		return Labels[l] == "suicide" || Labels[l] == "self-harm"
	case SDCNL:
		return Labels[l] == "suicide" || Labels[l] == "mental-illness"
	case GoEmotions:
		return Labels[l] == "grief"
	case Team:
		return true
	}
	return false
}

// threshold sets the threshold of label l to the cut of best objective
// on the out-of-fold probabilities of the documents whose source gave the
// label (the judged Webis passages, the Dreaddit subreddits, ...), raised
// where needed so that no more than everydayShare of the negatives from
// the background corpora (prose, news, man pages) reach it. Posts from
// forums next to a topic's (anxiety next to suicide) are negatives in
// training but not in this cap: they are where a topic's hard cases are.
func (f *fitted) threshold(l int) {
	var p, bg []float64
	var y []int8
	for i, z := range f.oof[l] {
		pr := f.Prob(l, z)
		if f.oofJudged[l][i] {
			p, y = append(p, pr), append(y, f.oofY[l][i])
		} else if f.oofY[l][i] == 0 && f.oofEveryday[l][i] {
			bg = append(bg, pr)
		}
	}
	if len(p) == 0 {
		return
	}
	if !slices.Contains(y, 0) || !slices.Contains(y, 1) {
		return
	}
	t, _ := linear.BestThreshold(p, y, objective(l))
	if len(bg) > 0 {
		slices.Sort(bg)
		k := len(bg) - 1 - int(everydayShare*float64(len(bg)))
		t = max(t, bg[max(k, 0)]+1e-9)
	}
	f.Thresholds[l] = t
}

// chooseCandidates returns per label the candidate whose out-of-fold
// margins decide best by the label's objective; the first on ties.
func chooseCandidates(r innerRows, cands []Candidate) []int {
	choice := make([]int, len(Labels))
	for l := range Labels {
		best := -1.0
		for c := range cands {
			if s := oofScore(r.zs[c][l], r.ys[l], objective(l)); s > best {
				best, choice[l] = s, c
			}
		}
	}
	return choice
}
