package topicmodel

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
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
}

// DefaultConfig is the recipe of the embedded model, chosen by the
// cross-validation in EvalWebis.
var DefaultConfig = Config{
	Features:   features.Config{Buckets: 1 << 18, Seed: features.DefaultConfig.Seed, WordNgrams: 2, MinN: 3, MaxN: 5, Hash: features.HashVersion},
	Train:      linear.TrainConfig{Epochs: 8, LR: 0.05, L2: 1e-3, Seed: 1, Objective: "macro-f1"},
	InnerFolds: 5,
	Balance:    true,
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
}

// featurize extracts the features of docs under fc.
func featurize(docs []Doc, fc features.Config, balance bool) (examples, error) {
	if err := check(docs); err != nil {
		return examples{}, err
	}
	x, err := features.NewExtractor(fc)
	if err != nil {
		return examples{}, err
	}
	weights := classWeights(docs, balance)
	out := examples{ex: make([]linear.Example, len(docs)), groups: make([]string, len(docs))}
	var buf []features.Feature
	for i, d := range docs {
		buf, _ = x.Extract(buf[:0], d.Text)
		b := make([]uint32, len(buf))
		for j, f := range buf {
			b[j] = f.Bucket
		}
		out.ex[i] = linear.Example{Buckets: b, Y: d.Y, Weight: weights[i]}
		out.groups[i] = d.Group
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
	out := examples{ex: make([]linear.Example, len(idx)), groups: make([]string, len(idx))}
	for i, j := range idx {
		out.ex[i], out.groups[i] = e.ex[j], e.groups[j]
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

// fit trains a model on e: out-of-fold margins over cfg.InnerFolds group
// folds calibrate each label, and the final weights see all of e.
func fit(e examples, cfg Config) (*linear.Model, error) {
	L := len(Labels)
	zs := make([][]float64, L)
	ys := make([][]int8, L)
	if cfg.InnerFolds >= 2 {
		folds := groupFolds(e.groups, cfg.InnerFolds, cfg.Train.Seed)
		z := make([]float64, L)
		for k := range cfg.InnerFolds {
			tr, va := split(folds, k)
			m, err := trainLabels(e.subset(tr).ex, cfg)
			if err != nil {
				return nil, fmt.Errorf("train inner fold %d: %w", k, err)
			}
			for _, i := range va {
				m.MarginsOf(&e.ex[i], z)
				for l, y := range e.ex[i].Y {
					if y != dataset.Unknown {
						zs[l] = append(zs[l], z[l])
						ys[l] = append(ys[l], y)
					}
				}
			}
		}
	}
	m, err := trainLabels(e.ex, cfg)
	if err != nil {
		return nil, err
	}
	for l := range L {
		m.CalibrateLabel(l, zs[l], ys[l], objective(l))
	}
	return m, nil
}

// trainLabels trains each label on the examples that annotate it, one
// label at a time, and stitches the weights into one model. The labels'
// losses are independent, so this is the multi-label model, but it skips
// the work of looking past every Unknown label.
func trainLabels(ex []linear.Example, cfg Config) (*linear.Model, error) {
	L := len(Labels)
	m, err := linear.Train(nil, Labels, cfg.Features, cfg.Train, nil)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m.DataDigest = linear.Digest(ex)
	for l := range L {
		var sub []linear.Example
		for _, x := range ex {
			if x.Y[l] != dataset.Unknown {
				sub = append(sub, linear.Example{Buckets: x.Buckets, Y: []int8{x.Y[l]}, Weight: x.Weight})
			}
		}
		if len(sub) == 0 {
			continue
		}
		one, err := linear.Train(sub, Labels[l:l+1], cfg.Features, cfg.Train, nil)
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
	return fit(e, cfg)
}
