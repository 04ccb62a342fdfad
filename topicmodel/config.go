package topicmodel

import (
	"slices"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
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

// DefaultConfig is the recipe of the embedded model. Its settings were
// chosen on the same cross-validation folds that EvalWebis (and
// detector.EvalWebis) then report, so those figures are optimistic for
// it; the nested estimate, which never scores a passage a choice saw, is
// InnerWebis, and detector.EvalWebis's Inner report for the shipped
// detector's folds.
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

// stackL2 returns the stack's L2 penalty.
func (c Config) stackL2() float64 {
	if c.StackL2 > 0 {
		return c.StackL2
	}
	return 1e-2
}

// nbAlpha is the additive smoothing of the naive Bayes view's counts
// unless Config.NBAlpha sets it.
const nbAlpha = 0.1

// nbAlpha returns the naive Bayes view's smoothing.
func (c Config) nbAlpha() float64 {
	if c.NBAlpha > 0 {
		return c.NBAlpha
	}
	return nbAlpha
}

// objective returns the threshold objective of label l: Webis labels are
// judged by accuracy, as in the published evaluation; the others by the
// F1 of the topic, the figure their held-out test splits are reported by
// (docs/warnings.md), rather than the mean F1 of both classes, which
// weighs the ordinary posts as much as the posts about the topic.
func objective(l int) metrics.Objective {
	if isWebis[l] {
		return metrics.Accuracy
	}
	return metrics.F1
}

// isWebis is true for the labels the Webis warnings train, by label.
var isWebis = func() []bool {
	out := make([]bool, len(Labels))
	for l, t := range Labels {
		out[l] = slices.Contains(webisLabels(), t)
	}
	return out
}()

// WebisLabels returns the topic ids the Webis warnings train, in the
// order of dataset.WebisWarnings.
func WebisLabels() []string { return webisLabels() }

// webisLabels returns the topic ids the Webis warnings train.
func webisLabels() []string {
	out := make([]string, 0, len(dataset.WebisWarnings))
	for _, w := range dataset.WebisWarnings {
		out = append(out, webisTopic[w])
	}
	return out
}
