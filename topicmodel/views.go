package topicmodel

import (
	"fmt"
	"math"
	"slices"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
)

// view is a second linear model whose margin joins a label's in the
// stack: its out-of-fold margins on the inner folds and its weights
// trained on all examples.
type view struct {
	// oof holds per example the out-of-fold margins, by view label.
	oof [][]float64
	// w and b hold per view label the weights by bucket and the bias.
	w [][]float32
	b []float32
	// shared is true for a view with one label for all Webis labels.
	shared bool
}

// label returns the view label of model label l.
func (v view) label(l int) int {
	if v.shared {
		return 0
	}
	return l
}

// sharedView is the shared model (Config.Shared) as a view.
func sharedView(e examples, cfg Config) (view, error) {
	v := view{oof: make([][]float64, len(e.ex)), shared: true}
	folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
	for k := range cfg.InnerFolds {
		tr, va := split(folds, k)
		w, b, err := trainShared(e.subset(tr), cfg)
		if err != nil {
			return view{}, err
		}
		for _, i := range va {
			v.oof[i] = []float64{sharedMargin(w, b, &e.ex[i])}
		}
	}
	w, b, err := trainShared(e, cfg)
	if err != nil {
		return view{}, err
	}
	v.w, v.b = [][]float32{w}, []float32{b}
	return v, nil
}

// nbView is a multinomial naive Bayes model per Webis label (Config.NBView)
// as a view: a bucket's weight is the log ratio of its smoothed share of
// the positive and of the negative examples' features, and the margin
// sums them under the same length scaling as the linear model, so that
// it folds into the label's weights.
func nbView(e examples, cfg Config) view {
	L := len(Labels)
	v := view{oof: make([][]float64, len(e.ex))}
	for i := range v.oof {
		v.oof[i] = make([]float64, L)
	}
	folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
	for k := range cfg.InnerFolds {
		tr, va := split(folds, k)
		w, b := trainNB(e.subset(tr), int(cfg.Features.Buckets), cfg.nbAlpha())
		for _, i := range va {
			for l := range L {
				if w[l] != nil {
					v.oof[i][l] = sharedMargin(w[l], b[l], &e.ex[i])
				}
			}
		}
	}
	v.w, v.b = trainNB(e, int(cfg.Features.Buckets), cfg.nbAlpha())
	for l := range L {
		if v.w[l] == nil {
			v.w[l] = make([]float32, cfg.Features.Buckets)
		}
	}
	return v
}

// trainNB returns per Webis label the naive Bayes weights by bucket and
// the bias; nil for other labels and labels without both classes.
func trainNB(e examples, buckets int, alpha float64) ([][]float32, []float32) {
	L := len(Labels)
	w := make([][]float32, L)
	bias := make([]float32, L)
	for l := range L {
		if !isWebis[l] {
			continue
		}
		pos, neg := make([]float64, buckets), make([]float64, buckets)
		var tp, tn, np, nn float64
		for i, x := range e.ex {
			y := x.Y[l]
			if y == dataset.Unknown {
				continue
			}
			wt := 1.0
			if !e.judged[i] {
				wt = backgroundWeight
			}
			cnt, tot, docs := neg, &tn, &nn
			if y == 1 {
				cnt, tot, docs = pos, &tp, &np
			}
			for _, b := range x.Buckets {
				cnt[b] += wt
			}
			*tot += wt * float64(len(x.Buckets))
			*docs += wt
		}
		if np == 0 || nn == 0 {
			continue
		}
		w[l] = make([]float32, buckets)
		for b := range buckets {
			w[l][b] = float32(math.Log((pos[b]+alpha)/(tp+alpha*float64(buckets))) - math.Log((neg[b]+alpha)/(tn+alpha*float64(buckets))))
		}
		bias[l] = float32(math.Log(np / nn))
	}
	return w, bias
}

// trainShared trains one label, "positive for its warning", on every
// Webis-annotated example, and returns its weights and bias.
func trainShared(e examples, cfg Config) ([]float32, float32, error) {
	webis := webisLabels()
	var sub []linear.Example
	for i, x := range e.ex {
		if !e.judged[i] {
			continue
		}
		for l, y := range x.Y {
			if y != dataset.Unknown && slices.Contains(webis, Labels[l]) {
				sub = append(sub, linear.Example{Buckets: x.Buckets, Y: []int8{y}, Weight: x.Weight})
				break
			}
		}
	}
	m, err := linear.Train(sub, []string{"shared"}, cfg.Features, cfg.Train, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("train shared: %w", err)
	}
	return m.W, m.Bias[0], nil
}

// sharedMargin is the shared model's margin for an example.
func sharedMargin(w []float32, b float32, ex *linear.Example) float64 {
	if len(ex.Buckets) == 0 {
		return float64(b)
	}
	var z float64
	for _, k := range ex.Buckets {
		z += float64(w[k])
	}
	return float64(b) + z/math.Sqrt(float64(len(ex.Buckets)))
}
