package topicmodel

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/warn"
)

// Config is the training recipe's settings.
type Config struct {
	Features features.Config
	Train    linear.TrainConfig
	// InnerFolds is the number of group folds the training documents are
	// cut into to get out-of-fold margins, on which each label's
	// calibration and threshold are fitted. The final weights are then
	// trained on all documents.
	InnerFolds int
	// Balance weights the Webis passages so that each warning's positive
	// and negative passages weigh the same in total.
	Balance bool
	// Shared adds a model of "positive for its warning" trained on all
	// Webis passages at once; each Webis label's margin becomes a
	// logistic blend of its own and the shared margin, fitted on the
	// out-of-fold margins, and folded into the label's weights.
	Shared bool
	// Evidence, if set, returns per label extra stacking inputs for a
	// text (such as the phrase lexicon's hits); it is for evaluation of
	// a combined detector.
	Evidence func(text string) [][]float64 `json:"-"`
	// Half sets the threshold of the labels judged by accuracy to a
	// calibrated probability of one half, which is where accuracy peaks
	// when the calibration holds, instead of the cut that did best on the
	// out-of-fold margins, which overfits small label sets.
	Half bool
	// Candidates are the training settings tried for every label; each
	// label takes the one whose out-of-fold decisions over the inner folds
	// score best on its objective. Empty means Train alone.
	Candidates []Candidate
	// NBView adds a multinomial naive Bayes model per Webis label to the
	// stack, a second view of the words that is strong on small label
	// sets; its weight is fitted on the out-of-fold margins and folded
	// into the label's weights like the shared model's.
	NBView bool
	// NBAlpha is the naive Bayes view's additive smoothing; 0 means 0.1.
	NBAlpha float64
	// StackL2 is the L2 penalty on the stack's slopes, per row; 0 means
	// 0.01.
	StackL2 float64
}

// Candidate is one way to train a label.
type Candidate struct {
	// Soft trains on the share of annotators who said yes rather than on
	// the any-vote label: a passage with one yes of three counts a third
	// as a positive and two thirds as a negative.
	Soft  bool
	Train linear.TrainConfig
}

// candidates returns the settings tried per label.
func (c Config) candidates() []Candidate {
	if len(c.Candidates) == 0 {
		return []Candidate{{Train: c.Train}}
	}
	return c.Candidates
}

// DefaultConfig is the recipe of the embedded model, chosen by the
// cross-validation in EvalWebis.
var DefaultConfig = Config{
	Features:   features.Config{Buckets: 1 << 18, Seed: features.DefaultConfig.Seed, WordNgrams: 2, MinN: 3, MaxN: 5, Hash: features.HashVersion},
	Train:      linear.TrainConfig{Epochs: 8, LR: 0.05, L2: 1e-3, Seed: 1, Objective: "macro-f1"},
	InnerFolds: 5,
	Balance:    true,
	Shared:     true,
	// Half is off: the Webis labels are calibrated with the background
	// negatives, so one half is no longer where accuracy on the judged
	// passages peaks (see threshold).
	Half:    false,
	NBView:  true,
	NBAlpha: 1,
	StackL2: 1e-3,
}

// objective returns the threshold objective of label l: Webis labels are
// judged by accuracy, as in the published evaluation; the others by the
// mean F1 of both classes, so that rare topics are not simply never flagged.
func objective(l int) string {
	if slices.Contains(webisLabels(), Labels[l]) {
		return "accuracy"
	}
	return "macro-f1"
}

// isWebis is true for the labels the Webis warnings train, by label.
var isWebis = func() []bool {
	out := make([]bool, len(Labels))
	for l, t := range Labels {
		out[l] = slices.Contains(webisLabels(), t)
	}
	return out
}()

// webisLabels returns the topic ids the Webis warnings train.
func webisLabels() []string {
	out := make([]string, 0, len(dataset.WebisWarnings))
	for _, w := range dataset.WebisWarnings {
		out = append(out, webisTopic[w])
	}
	return out
}

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

// groupFolds assigns every example to one of k folds so that a group's
// examples share a fold. Groups are ordered by a seeded hash and dealt out
// in turn, which is deterministic and keeps the folds the same size.
func groupFolds(groups []string, k int, seed uint64) []int {
	type g struct {
		name string
		h    uint64
	}
	seen := map[string]bool{}
	var gs []g
	var seedBytes [8]byte
	for i := range seedBytes {
		seedBytes[i] = byte(seed >> (8 * i))
	}
	for _, name := range groups {
		if !seen[name] {
			seen[name] = true
			d := xxhash.New()
			d.Write(seedBytes[:])
			d.WriteString(name)
			gs = append(gs, g{name, d.Sum64()})
		}
	}
	slices.SortFunc(gs, func(a, b g) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.name, b.name)) })
	fold := make(map[string]int, len(gs))
	for i, x := range gs {
		fold[x.name] = i % k
	}
	out := make([]int, len(groups))
	for i, name := range groups {
		out[i] = fold[name]
	}
	return out
}

// split returns the indices outside and inside fold k.
func split(folds []int, k int) (train, test []int) {
	for i, f := range folds {
		if f == k {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}

// fit trains a model on e. Every candidate is trained on the inner folds
// of e; each label takes the candidate whose out-of-fold margins decide
// best by its objective, is calibrated on those margins, and is trained
// again on all of e.
func fit(e examples, cfg Config) (*fitted, error) {
	L := len(Labels)
	cands := cfg.candidates()
	// zs[c][l] and ys[l] are candidate c's out-of-fold margins of label l
	// and their labels.
	zs := make([][][]float64, len(cands))
	for c := range zs {
		zs[c] = make([][]float64, L)
	}
	ys := make([][]int8, L)
	js := make([][]bool, L)  // whether each row of ys has its source's own label
	evs := make([][]bool, L) // whether each row of ys is everyday text
	if cfg.InnerFolds >= 2 {
		folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
		z := make([]float64, L)
		for k := range cfg.InnerFolds {
			tr, va := split(folds, k)
			sub := e.subset(tr)
			for c, cand := range cands {
				m, err := trainLabels(sub, cfg.Features, func(int) Candidate { return cand })
				if err != nil {
					return nil, fmt.Errorf("train inner fold %d: %w", k, err)
				}
				for _, i := range va {
					m.MarginsOf(&e.ex[i], z)
					for l, y := range e.ex[i].Y {
						if e.counts(i, l) {
							zs[c][l] = append(zs[c][l], z[l])
							if c == 0 {
								ys[l] = append(ys[l], y)
								js[l] = append(js[l], ownLabel(e.src[i], l))
								evs[l] = append(evs[l], e.src[i] == Everyday)
							}
						}
					}
				}
			}
		}
	}
	choice := make([]int, L)
	for l := range L {
		best := -1.0
		for c := range cands {
			if s := oofScore(zs[c][l], ys[l], objective(l)); s > best {
				best, choice[l] = s, c
			}
		}
	}
	m, err := trainLabels(e, cfg.Features, func(l int) Candidate { return cands[choice[l]] })
	if err != nil {
		return nil, err
	}
	m.Train = cfg.Train
	f := &fitted{Model: m, ev: make([][]float64, L), oof: make([][]float64, L), oofY: ys, oofJudged: js, oofEveryday: evs, inner: make([][]float64, L)}
	for l := range L {
		f.oof[l] = zs[choice[l]][l]
	}
	stacked := make([]bool, L)
	for l := range L {
		stacked[l] = isWebis[l] && (cfg.Shared || cfg.NBView || e.ev != nil) && cfg.InnerFolds >= 2 && slices.Contains(ys[l], 0) && slices.Contains(ys[l], 1)
	}
	if !slices.Contains(stacked, true) {
		for l := range L {
			m.CalibrateLabel(l, zs[choice[l]][l], ys[l], objective(l))
		}
		f.half(cfg)
		return f, nil
	}
	// Out-of-fold inputs of the stack: the label's margin, the margins of
	// the other views (the shared model, naive Bayes) and the evidence.
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
	// The out-of-fold order of zs is fold by fold; rebuild the example
	// order to line the inputs up.
	folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
	for l := range L {
		if !stacked[l] {
			m.CalibrateLabel(l, zs[choice[l]][l], ys[l], objective(l))
			continue
		}
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
				x := []float64{zs[choice[l]][l][n]}
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
		beta := fitLogistic(xs, ys[l], cfg.stackL2())
		f.inner[l] = crossFitted(xs, ys[l], xf, cfg.InnerFolds, cfg.stackL2())
		// Fold the blend into the label's weights: margins are linear in
		// the weights and share the feature scale.
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
			z[i] = dot(beta, x)
		}
		m.PlattA[l], m.PlattB[l] = 1, 0
		m.CalibrateLabel(l, z, ys[l], objective(l))
		f.oof[l] = z
	}
	f.half(cfg)
	return f, nil
}

// everydayShare is the largest share of the everyday negatives of a
// label that its threshold may let through on the out-of-fold margins: the target of one false alarm in a hundred everyday
// paragraphs, below the 2% and 5% the everyday evaluation allows.
const everydayShare = 0.01

// half applies Config.Half, or else threshold.
func (f *fitted) half(cfg Config) {
	for l := range Labels {
		if cfg.Half && objective(l) == "accuracy" {
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
	// oofEveryday is true for the rows from the background corpora.
	oofEveryday [][]bool
	// inner holds per stacked label the out-of-fold probabilities of the
	// stack itself, fitted on the other inner folds' rows: an estimate
	// that does not reward a stack for fitting its own rows.
	inner [][]float64
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
				p[i] = 1 / (1 + math.Exp(-dot(beta, x)))
			}
		}
	}
	return p
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

// dot returns the logistic margin of x under beta, whose last element is
// the intercept.
func dot(beta, x []float64) float64 {
	v := beta[len(beta)-1]
	for k, xk := range x {
		v += beta[k] * xk
	}
	return v
}

// fitLogistic fits a logistic regression with intercept (last) by Newton's
// method with L2 penalty lambda on the slopes.
func fitLogistic(xs [][]float64, y []int8, lambda float64) []float64 {
	d := len(xs[0]) + 1
	beta := make([]float64, d)
	row := make([]float64, d)
	for range 30 {
		g := make([]float64, d)
		h := make([][]float64, d)
		for a := range h {
			h[a] = make([]float64, d)
		}
		for i, x := range xs {
			copy(row, x)
			row[d-1] = 1
			p := 1 / (1 + math.Exp(-dot(beta, x)))
			r := p - float64(y[i])
			w := p * (1 - p)
			for a := range d {
				g[a] += r * row[a]
				for b := range d {
					h[a][b] += w * row[a] * row[b]
				}
			}
		}
		for a := range d - 1 {
			g[a] += lambda * beta[a] * float64(len(xs))
			h[a][a] += lambda * float64(len(xs))
		}
		h[d-1][d-1] += 1e-9
		step := solve(h, g)
		if step == nil {
			break
		}
		var sz float64
		for a := range d {
			beta[a] -= step[a]
			sz += math.Abs(step[a])
		}
		if sz < 1e-9 {
			break
		}
	}
	return beta
}

// solve solves h x = g by Gaussian elimination with partial pivoting; nil
// when h is singular.
func solve(h [][]float64, g []float64) []float64 {
	n := len(g)
	a := make([][]float64, n)
	for i := range a {
		a[i] = append(append([]float64(nil), h[i]...), g[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return nil
		}
		a[c], a[p] = a[p], a[c]
		for r := range n {
			if r == c {
				continue
			}
			k := a[r][c] / a[c][c]
			for j := c; j <= n; j++ {
				a[r][j] -= k * a[c][j]
			}
		}
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = a[i][n] / a[i][i]
	}
	return x
}

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

// nbAlpha is the additive smoothing of the naive Bayes view's counts
// unless Config.NBAlpha sets it.
const nbAlpha = 0.1

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

// stackL2 returns the stack's L2 penalty.
func (c Config) stackL2() float64 {
	if c.StackL2 > 0 {
		return c.StackL2
	}
	return 1e-2
}

// nbAlpha returns the naive Bayes view's smoothing.
func (c Config) nbAlpha() float64 {
	if c.NBAlpha > 0 {
		return c.NBAlpha
	}
	return nbAlpha
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

// oofScore is the objective of the best threshold on out-of-fold margins.
func oofScore(z []float64, y []int8, objective string) float64 {
	if len(z) == 0 {
		return 0
	}
	m := &linear.Model{Header: linear.Header{Labels: []string{""}, Thresholds: []float64{0.5}, PlattA: []float64{1}, PlattB: []float64{0}}}
	m.CalibrateLabel(0, z, y, objective)
	var c Counts
	for i, v := range z {
		c.Add(m.Prob(0, v) >= m.Thresholds[0], y[i] == 1)
	}
	switch objective {
	case "accuracy":
		return c.Accuracy()
	default:
		inv := Counts{TP: c.TN, TN: c.TP, FP: c.FN, FN: c.FP}
		return (c.F1() + inv.F1()) / 2
	}
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
			if isWebis[l] && !e.judged[i] {
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
// documents and configuration give the same model file.
func Train(docs []Doc, cfg Config) (*linear.Model, error) {
	e, err := featurize(docs, cfg.Features, cfg.Balance)
	if err != nil {
		return nil, err
	}
	f, err := fit(e, cfg)
	if err != nil {
		return nil, err
	}
	return f.Model, nil
}
