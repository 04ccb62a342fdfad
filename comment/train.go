package comment

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
)

// Recipe says which data the comment model learns from and how.
type Recipe struct {
	// OLID is the path of olid-training-v1.0.tsv.
	OLID string `json:"olid"`
	// Davidson is the path of Davidson's labeled_data.csv; empty skips it.
	Davidson string `json:"davidson"`
	// DavidsonWeight scales the loss of Davidson's tweets, whose base rates
	// differ from OLID's.
	DavidsonWeight float32 `json:"davidson_weight"`
	// ValPercent is the share of each dataset held out to calibrate and
	// choose thresholds.
	ValPercent int `json:"val_percent"`
	// CalibFolds, when above 1, calibrates on out-of-fold predictions over
	// the whole training data instead of a validation split.
	CalibFolds int `json:"calib_folds"`
	// Bags is the number of models, each trained on a different shuffle and
	// resample of the data, whose weights are averaged.
	Bags int `json:"bags"`
	// Blend adds a share of the targeted model to the offensive one,
	// choosing the share on the held-out margins (see blendTargeted).
	Blend bool `json:"blend,omitempty"`
	// Identity adds the written identity statements as negatives, so that
	// naming an identity is not learned as an attack.
	Identity bool `json:"identity"`

	// Skip, when set, leaves out the texts it returns true for: the fold a
	// cross-validation evaluates on.
	Skip func(id string) bool `json:"-"`

	Features features.Config    `json:"features"`
	Train    linear.TrainConfig `json:"train"`
}

// DefaultRecipe is the recipe of the embedded model; paths are relative to
// the shared data folder.
var DefaultRecipe = Recipe{
	OLID:           "olid/olid-training-v1.0.tsv",
	Davidson:       "davidson/labeled_data.csv",
	DavidsonWeight: 1,
	ValPercent:     10,
	CalibFolds:     5,
	Identity:       true,
	Blend:          true,
	Features:       features.DefaultConfig,
	Train:          linear.TrainConfig{Epochs: 8, LR: 0.1, L2: 1e-6, Seed: 1, Objective: "macro-f1", NB: true},
}

// LabelReport holds a label's validation figures.
type LabelReport struct {
	Label     string
	Threshold float64
	metrics.Binary
}

// Train trains the comment model following r and reports per-label figures
// on held-out data: the validation split, or with CalibFolds the pooled
// out-of-fold predictions.
func Train(r Recipe, progress linear.Progress) (*linear.Model, []LabelReport, error) {
	texts, weights, calib, err := r.load()
	if err != nil {
		return nil, nil, err
	}
	ex, err := features.NewExtractor(r.Features)
	if err != nil {
		return nil, nil, err
	}
	all := Examples(ex, texts)
	for i := range all {
		all[i].Weight = weights[i]
	}
	var m *linear.Model
	var margins [][]float64
	var ys [][]int8
	if r.CalibFolds > 1 {
		// Every training text is held out once: the pooled out-of-fold
		// margins calibrate a final model trained on all the data, with
		// far steadier thresholds than one small validation split gives.
		margins = make([][]float64, len(all))
		for f := range r.CalibFolds {
			var fit []linear.Example
			for i := range all {
				if foldOf(texts[i].ID, r.CalibFolds) != f {
					fit = append(fit, all[i])
				}
			}
			fm, err := r.fit(fit, nil)
			if err != nil {
				return nil, nil, err
			}
			for i := range all {
				if foldOf(texts[i].ID, r.CalibFolds) == f {
					margins[i] = make([]float64, len(fm.Labels))
					fm.MarginsOf(&all[i], margins[i])
				}
			}
		}
		ys = calib
		if m, err = r.fit(all, progress); err != nil {
			return nil, nil, err
		}
	} else {
		var fit []linear.Example
		for i := range all {
			if inVal(texts[i].ID, r.ValPercent) {
				continue
			}
			fit = append(fit, all[i])
		}
		if m, err = r.fit(fit, progress); err != nil {
			return nil, nil, err
		}
		for i := range all {
			if inVal(texts[i].ID, r.ValPercent) {
				z := make([]float64, len(m.Labels))
				m.MarginsOf(&all[i], z)
				margins = append(margins, z)
				ys = append(ys, calib[i])
			}
		}
	}
	if r.Blend {
		blendTargeted(m, margins, ys)
	}
	m.CalibrateMargins(margins, ys)
	// Round-trip through the file format so that what is returned is
	// exactly what ships: quantised weights.
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	if m, err = linear.Decode(b); err != nil {
		return nil, nil, err
	}
	return m, reportMargins(m, margins, ys), nil
}

// load reads the recipe's datasets. It returns the texts, their loss
// weights, and the labels used to calibrate: Davidson's offensive label is
// left out of calibration because its base rate is far from OLID's and
// would skew that threshold, and the written identity sentences are left
// out entirely.
func (r Recipe) load() ([]dataset.Text, []float32, [][]int8, error) {
	olid, err := dataset.OLIDTrain(r.OLID)
	if err != nil {
		return nil, nil, nil, err
	}
	var texts []dataset.Text
	var weights []float32
	var calib [][]int8
	add := func(ts []dataset.Text, w float32, src source) {
		for _, t := range ts {
			if r.Skip != nil && r.Skip(t.ID) {
				continue
			}
			texts = append(texts, t)
			weights = append(weights, w)
			y := append([]int8(nil), t.Y...)
			switch src {
			case fromDavidson:
				y[0] = dataset.Unknown
			case written:
				// Written sentences teach, but they are easy and
				// unlike real comments: they would bias thresholds.
				for l := range y {
					y[l] = dataset.Unknown
				}
			}
			calib = append(calib, y)
		}
	}
	add(olid, 1, fromOLID)
	if r.Davidson != "" {
		dav, err := dataset.Davidson(r.Davidson)
		if err != nil {
			return nil, nil, nil, err
		}
		add(dav, r.DavidsonWeight, fromDavidson)
	}
	if r.Identity {
		var ids []dataset.Text
		for i, s := range identityStatements() {
			ids = append(ids, dataset.Text{ID: fmt.Sprintf("identity-%d", i), Text: s, Y: []int8{0, 0, 0}})
		}
		add(ids, 1, written)
	}
	return texts, weights, calib, nil
}

// blendTargeted folds a share of the targeted label's weights into the
// offensive label's. Every targeted insult in OLID is offensive, so the
// targeted model is a second view of offensiveness; margins are linear in
// the weights, so the blend costs nothing when scoring. The share is the
// one of a small grid that gives the best held-out macro-F1 for offensive;
// margins are updated in place to match the blended model.
func blendTargeted(m *linear.Model, margins [][]float64, ys [][]int8) {
	off, tgt := slices.Index(m.Labels, "offensive"), slices.Index(m.Labels, "targeted")
	if off < 0 || tgt < 0 || len(margins) == 0 {
		return
	}
	best, bestShare := -1.0, 0.0
	for _, share := range []float64{0, 0.25, 0.5, 0.75, 1} {
		var scores []float64
		var gold []int8
		for i, z := range margins {
			if ys[i][off] != linear.Unknown {
				scores = append(scores, z[off]+share*z[tgt])
				gold = append(gold, ys[i][off])
			}
		}
		if _, f := linear.BestThreshold(scores, gold, "macro-f1"); f > best {
			best, bestShare = f, share
		}
	}
	L := len(m.Labels)
	for b := off; b < len(m.W); b += L {
		m.W[b] += float32(bestShare) * m.W[b-off+tgt]
	}
	m.Bias[off] += float32(bestShare) * m.Bias[tgt]
	for _, z := range margins {
		z[off] += bestShare * z[tgt]
	}
	if m.Notes == nil {
		m.Notes = map[string]string{}
	}
	m.Notes["offensive_blend_targeted"] = fmt.Sprint(bestShare)
}

// source says where a training text came from.
type source int

const (
	fromOLID source = iota
	fromDavidson
	written
)

// fit trains the recipe's bag of models on examples and averages them.
func (r Recipe) fit(examples []linear.Example, progress linear.Progress) (*linear.Model, error) {
	bags := max(r.Bags, 1)
	models := make([]*linear.Model, bags)
	for k := range bags {
		tc := r.Train
		tc.Seed += uint64(k)
		data := examples
		if bags > 1 {
			data = resample(examples, tc.Seed)
		}
		var err error
		if models[k], err = linear.Train(data, dataset.CommentLabels, r.Features, tc, progress); err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
	}
	m := linear.Average(models...)
	m.Train = r.Train
	m.DataDigest = linear.Digest(examples)
	return m, nil
}

// foldOf assigns an id to one of n folds by its hash.
func foldOf(id string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()>>8) % n
}

// reportMargins returns per-label figures of m on held-out margins.
func reportMargins(m *linear.Model, margins [][]float64, ys [][]int8) []LabelReport {
	var out []LabelReport
	for l := range m.Labels {
		var scores []float64
		var gold []int8
		for i := range margins {
			if ys[i][l] != linear.Unknown {
				scores = append(scores, m.Prob(l, margins[i][l]))
				gold = append(gold, ys[i][l])
			}
		}
		if len(gold) > 0 {
			out = append(out, LabelReport{Label: m.Labels[l], Threshold: m.Thresholds[l], Binary: metrics.Compute(scores, gold, m.Thresholds[l])})
		}
	}
	return out
}

// resample draws a bootstrap sample of the examples.
func resample(ex []linear.Example, seed uint64) []linear.Example {
	rng := rand.New(rand.NewPCG(seed, 0xba9))
	out := make([]linear.Example, len(ex))
	for i := range out {
		out[i] = ex[rng.IntN(len(ex))]
	}
	return out
}

// inVal assigns a text to the validation split by a hash of its id, so the
// split is stable whatever the order of the file.
func inVal(id string, percent int) bool {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%100) < percent
}

// Examples turns texts into training examples.
func Examples(ex *features.Extractor, texts []dataset.Text) []linear.Example {
	out := make([]linear.Example, len(texts))
	var feats []features.Feature
	for i, t := range texts {
		feats, _ = ex.Extract(feats[:0], t.Text)
		b := make([]uint32, len(feats))
		for j, f := range feats {
			b[j] = f.Bucket
		}
		out[i] = linear.Example{Buckets: b, Y: t.Y}
	}
	return out
}

// Evaluate returns per-label figures of m on examples, skipping examples
// whose label is Unknown.
func Evaluate(m *linear.Model, examples []linear.Example) []LabelReport {
	L := len(m.Labels)
	z := make([]float64, L)
	scores := make([][]float64, L)
	gold := make([][]int8, L)
	for i := range examples {
		m.MarginsOf(&examples[i], z)
		for l := range L {
			if y := examples[i].Y[l]; y != linear.Unknown {
				scores[l] = append(scores[l], m.Prob(l, z[l]))
				gold[l] = append(gold[l], y)
			}
		}
	}
	var out []LabelReport
	for l := range L {
		if len(gold[l]) == 0 {
			continue
		}
		out = append(out, LabelReport{Label: m.Labels[l], Threshold: m.Thresholds[l], Binary: metrics.Compute(scores[l], gold[l], m.Thresholds[l])})
	}
	return out
}
