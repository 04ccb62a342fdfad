package comment

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

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
	// Bags is the number of models, each trained on a different shuffle and
	// resample of the data, whose weights are averaged.
	Bags int `json:"bags"`
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
	DavidsonWeight: 0.5,
	ValPercent:     10,
	Identity:       true,
	Features:       features.DefaultConfig,
	Train:          linear.DefaultTrainConfig,
}

// LabelReport holds a label's validation figures.
type LabelReport struct {
	Label     string
	Threshold float64
	metrics.Binary
}

// Train trains the comment model following r and reports per-label figures
// on the validation split.
func Train(r Recipe, progress linear.Progress) (*linear.Model, []LabelReport, error) {
	olid, err := dataset.OLIDTrain(r.OLID)
	if err != nil {
		return nil, nil, err
	}
	var train, val []dataset.Text
	split := func(ts []dataset.Text, valMask func(*dataset.Text)) {
		for _, t := range ts {
			if r.Skip != nil && r.Skip(t.ID) {
				continue
			}
			if inVal(t.ID, r.ValPercent) {
				if valMask != nil {
					valMask(&t)
				}
				val = append(val, t)
			} else {
				train = append(train, t)
			}
		}
	}
	split(olid, nil)
	weights := map[int]float32{}
	if r.Davidson != "" {
		dav, err := dataset.Davidson(r.Davidson)
		if err != nil {
			return nil, nil, err
		}
		n := len(train)
		// Davidson's validation tweets tune only the hate threshold: its
		// offensive base rate is far from OLID's and would skew that one.
		split(dav, func(t *dataset.Text) { t.Y[0] = dataset.Unknown })
		for i := n; i < len(train); i++ {
			weights[i] = r.DavidsonWeight
		}
	}
	if r.Identity {
		for _, s := range identityStatements() {
			train = append(train, dataset.Text{Text: s, Y: []int8{0, 0, 0}})
		}
	}
	ex, err := features.NewExtractor(r.Features)
	if err != nil {
		return nil, nil, err
	}
	trainEx := Examples(ex, train)
	for i, w := range weights {
		trainEx[i].Weight = w
	}
	valEx := Examples(ex, val)
	bags := max(r.Bags, 1)
	models := make([]*linear.Model, bags)
	for k := range bags {
		tc := r.Train
		tc.Seed += uint64(k)
		data := trainEx
		if bags > 1 {
			data = resample(trainEx, tc.Seed)
		}
		models[k], err = linear.Train(data, dataset.CommentLabels, r.Features, tc, progress)
		if err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
	}
	m := linear.Average(models...)
	m.Train = r.Train
	m.DataDigest = linear.Digest(trainEx)
	m.Calibrate(valEx)
	// Round-trip through the file format so that the figures describe the
	// quantised weights that ship.
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	if m, err = linear.Decode(b); err != nil {
		return nil, nil, err
	}
	return m, Evaluate(m, valEx), nil
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
