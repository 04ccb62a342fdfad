package topicmodel

import (
	"fmt"
	"slices"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
)

// fitted is a trained model with the stacking weights of the evidence.
type fitted struct {
	*linear.Model
	// ev holds per label the weights of the evidence inputs.
	ev [][]float64
	// oof and oofY hold per label the final out-of-fold margins of the
	// inner folds and their labels, and oofJudged whether each row is a
	// judged Webis passage.
	oof       [][]float64
	oofY      [][]int8
	oofJudged [][]bool
	// oofEveryday is true for the rows from the background corpora,
	// the labelled news stories among them (see everyday).
	oofEveryday [][]bool
	// inner holds per stacked label the out-of-fold probabilities of the
	// stack itself, fitted on the other inner folds' rows: an estimate
	// that does not reward a stack for fitting its own rows.
	inner [][]float64
}

// innerRows are the out-of-fold margins of the inner folds, per label
// over the examples that annotate it, in fold order.
type innerRows struct {
	// zs[c][l] holds candidate c's margins of label l.
	zs [][][]float64
	// ys[l] holds the labels, judged[l] whether each row carries its
	// source's own label, and everyday[l] whether it is everyday text.
	ys       [][]int8
	judged   [][]bool
	everyday [][]bool
}

// innerMargins trains every candidate on the inner folds of e and
// collects its out-of-fold margins.
func innerMargins(e examples, cfg Config, cands []Candidate) (innerRows, error) {
	L := len(Labels)
	r := innerRows{zs: make([][][]float64, len(cands)), ys: make([][]int8, L), judged: make([][]bool, L), everyday: make([][]bool, L)}
	for c := range r.zs {
		r.zs[c] = make([][]float64, L)
	}
	if cfg.InnerFolds < 2 {
		return r, nil
	}
	folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
	z := make([]float64, L)
	for k := range cfg.InnerFolds {
		tr, va := split(folds, k)
		sub := e.subset(tr)
		for c, cand := range cands {
			m, err := trainLabels(sub, cfg.Features, func(int) Candidate { return cand })
			if err != nil {
				return innerRows{}, fmt.Errorf("train inner fold %d: %w", k, err)
			}
			for _, i := range va {
				m.MarginsOf(&e.ex[i], z)
				for l, y := range e.ex[i].Y {
					if !e.counts(i, l) {
						continue
					}
					r.zs[c][l] = append(r.zs[c][l], z[l])
					if c == 0 {
						r.ys[l] = append(r.ys[l], y)
						r.judged[l] = append(r.judged[l], ownLabel(e.src[i], l))
						r.everyday[l] = append(r.everyday[l], everyday(e.src[i]))
					}
				}
			}
		}
	}
	return r, nil
}

// fit trains a model on e. Every candidate is trained on the inner folds
// of e; each label takes the candidate whose out-of-fold margins decide
// best by its objective (chooseCandidates), is stacked with the other
// views where it has them (stackLabel), is calibrated on the out-of-fold
// margins, and is trained again on all of e.
func fit(e examples, cfg Config) (*fitted, error) {
	if err := cfg.Train.Objective.Validate(); err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	L := len(Labels)
	cands := cfg.candidates()
	r, err := innerMargins(e, cfg, cands)
	if err != nil {
		return nil, err
	}
	choice := chooseCandidates(r, cands)
	m, err := trainLabels(e, cfg.Features, func(l int) Candidate { return cands[choice[l]] })
	if err != nil {
		return nil, err
	}
	m.Train = cfg.Train
	f := &fitted{Model: m, ev: make([][]float64, L), oof: make([][]float64, L), oofY: r.ys, oofJudged: r.judged, oofEveryday: r.everyday, inner: make([][]float64, L)}
	stacked := make([]bool, L)
	for l := range L {
		f.oof[l] = r.zs[choice[l]][l]
		stacked[l] = isWebis[l] && (cfg.Shared || cfg.NBView || e.ev != nil) && cfg.InnerFolds >= 2 && slices.Contains(r.ys[l], 0) && slices.Contains(r.ys[l], 1)
	}
	var views []view
	if slices.Contains(stacked, true) {
		if views, err = stackViews(e, cfg); err != nil {
			return nil, err
		}
	}
	for l := range L {
		if stacked[l] {
			f.stackLabel(e, cfg, views, l)
		}
		m.CalibrateLabel(l, f.oof[l], r.ys[l], objective(l))
	}
	f.half(cfg)
	return f, nil
}

// margin returns the label's stacked margin of example i of e.
func (f *fitted) margin(e examples, i, l int, z []float64) float64 {
	v := z[l]
	if e.ev != nil {
		for k, c := range f.ev[l] {
			v += c * e.ev[i][l][k]
		}
	}
	return v
}

// trainLabels trains each label l on the examples that annotate it, with
// candidate cand(l), one label at a time, and stitches the weights into
// one model. The labels' losses are independent, so this is the
// multi-label model, but it skips the work of looking past every Unknown
// label.
func trainLabels(e examples, fc features.Config, cand func(l int) Candidate) (*linear.Model, error) {
	L := len(Labels)
	m, err := linear.Train(nil, Labels, fc, cand(0).Train, nil)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m.DataDigest = linear.Digest(e.ex)
	for l := range L {
		c := cand(l)
		var sub []linear.Example
		for i, x := range e.ex {
			y := x.Y[l]
			if y == dataset.Unknown {
				continue
			}
			w := x.Weight
			if w == 0 {
				w = 1
			}
			switch {
			case isWebis[l] && e.src[i] == News:
				w *= newsWeight
			case isWebis[l] && e.src[i] == EDOS:
				w *= edosWeight
			case isWebis[l] && !e.judged[i]:
				w *= backgroundWeight
			}
			if s := e.soft[i]; c.Soft && s > 0 && s < 1 {
				// Both classes, weighted by the votes: the logistic
				// loss's gradient is then that of the soft target.
				sub = append(sub,
					linear.Example{Buckets: x.Buckets, Y: []int8{1}, Weight: w * s},
					linear.Example{Buckets: x.Buckets, Y: []int8{0}, Weight: w * (1 - s)})
				continue
			}
			sub = append(sub, linear.Example{Buckets: x.Buckets, Y: []int8{y}, Weight: w})
		}
		if len(sub) == 0 {
			continue
		}
		one, err := linear.Train(sub, Labels[l:l+1], fc, c.Train, nil)
		if err != nil {
			return nil, fmt.Errorf("train %s: %w", Labels[l], err)
		}
		for b, w := range one.W {
			m.W[b*L+l] = w
		}
		m.Bias[l] = one.Bias[0]
	}
	return m, nil
}

// Train trains the topic model on docs. It is deterministic: the same
// documents and configuration give the same model file. The model's notes
// record each label's inner out-of-fold decisions (InnerConfusion).
func Train(docs []Doc, cfg Config) (*linear.Model, error) {
	e, err := featurize(docs, cfg.Features, cfg.Balance)
	if err != nil {
		return nil, err
	}
	f, err := fit(e, cfg)
	if err != nil {
		return nil, err
	}
	f.noteInner()
	return f.Model, nil
}
