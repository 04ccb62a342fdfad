package topicmodel

import (
	"math"
	"slices"

	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/metrics"
)

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

// crossFitted returns the probability of every row of xs under a stack
// fitted on the rows of the other folds.
func crossFitted(xs [][]float64, y []int8, fold []int, folds int, lambda float64) []float64 {
	p := make([]float64, len(xs))
	for k := range folds {
		var tx [][]float64
		var ty []int8
		for i, x := range xs {
			if fold[i] != k {
				tx, ty = append(tx, x), append(ty, y[i])
			}
		}
		if !slices.Contains(ty, 0) || !slices.Contains(ty, 1) {
			continue
		}
		beta := fitLogistic(tx, ty, lambda)
		for i, x := range xs {
			if fold[i] == k {
				p[i] = 1 / (1 + math.Exp(-metrics.Dot(beta, x)))
			}
		}
	}
	return p
}

// fitLogistic fits the stack's logistic regression of labels y on the rows
// xs (metrics.FitLogistic, at most 30 Newton steps); the intercept is last.
func fitLogistic(xs [][]float64, y []int8, lambda float64) []float64 {
	t := make([]float64, len(y))
	for i, v := range y {
		t[i] = float64(v)
	}
	return metrics.FitLogistic(xs, t, lambda, 30)
}

// stackViews returns the views of Config.Shared and Config.NBView, whose
// margins join a Webis label's in its stack.
func stackViews(e examples, cfg Config) ([]view, error) {
	var views []view
	if cfg.Shared {
		v, err := sharedView(e, cfg)
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	if cfg.NBView {
		views = append(views, nbView(e, cfg))
	}
	return views, nil
}

// stackLabel fits label l's stack, a logistic regression on the
// out-of-fold inputs (the label's margin, the views' margins and the
// evidence), folds it into the label's weights, and leaves the stack's
// out-of-fold margins in f.oof[l] for calibration, with the label's
// Platt scaling reset to the identity.
func (f *fitted) stackLabel(e examples, cfg Config, views []view, l int) {
	L := len(Labels)
	m := f.Model
	// The out-of-fold order of f.oof is fold by fold; rebuild the example
	// order to line the inputs up.
	folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
	var xs [][]float64
	var xf []int // the inner fold of each row of xs
	n := 0
	for k := range cfg.InnerFolds {
		_, va := split(folds, k)
		for _, i := range va {
			if !e.counts(i, l) {
				continue
			}
			xf = append(xf, k)
			x := []float64{f.oof[l][n]}
			for _, v := range views {
				x = append(x, v.oof[i][v.label(l)])
			}
			if e.ev != nil {
				x = append(x, e.ev[i][l]...)
			}
			xs = append(xs, x)
			n++
		}
	}
	beta := fitLogistic(xs, f.oofY[l], cfg.stackL2())
	f.inner[l] = crossFitted(xs, f.oofY[l], xf, cfg.InnerFolds, cfg.stackL2())
	// Fold the blend into the label's weights: margins are linear in the
	// weights and share the feature scale.
	for b := range int(m.Features.Buckets) {
		w := float64(m.W[b*L+l]) * beta[0]
		for k, v := range views {
			w += float64(v.w[v.label(l)][b]) * beta[1+k]
		}
		m.W[b*L+l] = float32(w)
	}
	bias := float64(m.Bias[l])*beta[0] + beta[len(beta)-1]
	for k, v := range views {
		bias += float64(v.b[v.label(l)]) * beta[1+k]
	}
	m.Bias[l] = float32(bias)
	f.ev[l] = beta[1+len(views) : len(beta)-1]
	z := make([]float64, len(xs))
	for i, x := range xs {
		z[i] = metrics.Dot(beta, x)
	}
	m.PlattA[l], m.PlattB[l] = 1, 0
	f.oof[l] = z
}
