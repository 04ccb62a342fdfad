// Package linear is a multi-label linear classifier over hashed features:
// one logistic model per label, trained with AdaGrad and L2, with
// calibrated probabilities (Platt scaling) and per-label thresholds chosen
// on a validation split.
//
// Weights are laid out bucket-major (all labels of a bucket side by side) so
// that scoring touches one cache line per feature.
package linear

import (
	"math"

	"github.com/forewarn/forewarn/features"
)

// Header describes a model; it is stored at the start of the model file.
type Header struct {
	// Version is the file format version.
	Version int `json:"version"`
	// Features is the feature configuration the model was trained on,
	// including the hash seed and bucket count.
	Features features.Config `json:"features"`
	// Labels names the model's outputs in order.
	Labels []string `json:"labels"`
	// Thresholds holds, per label, the calibrated probability at or above
	// which the label is flagged.
	Thresholds []float64 `json:"thresholds"`
	// PlattA and PlattB map a raw margin z to a probability
	// 1/(1+exp(-(A*z+B))), per label.
	PlattA []float64 `json:"platt_a"`
	PlattB []float64 `json:"platt_b"`
	// DataDigest is a SHA-256 over the training examples, so that a model
	// can be traced to its data.
	DataDigest string `json:"data_digest"`
	// Train records how the model was trained.
	Train TrainConfig `json:"train"`
	// Notes holds free-form facts such as validation figures.
	Notes map[string]string `json:"notes,omitempty"`
}

// Model is a trained multi-label linear model. It is read-only after
// training or loading and safe for concurrent use.
type Model struct {
	Header
	// W holds Buckets*len(Labels) weights, bucket-major.
	W []float32
	// Bias holds one bias per label.
	Bias []float32
}

// NumLabels returns the number of labels.
func (m *Model) NumLabels() int { return len(m.Labels) }

// Margins writes the raw margin of every label for the features into z,
// which must have NumLabels elements.
func (m *Model) Margins(feats []features.Feature, z []float64) {
	L := len(m.Labels)
	scale := featureScale(len(feats))
	switch L {
	case 3:
		// The comment model's shape: unrolled because it is the hot path.
		var a, b, c float32
		for _, f := range feats {
			w := m.W[int(f.Bucket)*3 : int(f.Bucket)*3+3]
			a += w[0]
			b += w[1]
			c += w[2]
		}
		z[0] = float64(m.Bias[0]) + float64(a)*scale
		z[1] = float64(m.Bias[1]) + float64(b)*scale
		z[2] = float64(m.Bias[2]) + float64(c)*scale
	case 8:
		// The multi-head comment model: eight weights of a bucket are one
		// 32-byte block, summed in registers.
		var a [8]float32
		for _, f := range feats {
			w := (*[8]float32)(m.W[int(f.Bucket)*8 : int(f.Bucket)*8+8])
			a[0] += w[0]
			a[1] += w[1]
			a[2] += w[2]
			a[3] += w[3]
			a[4] += w[4]
			a[5] += w[5]
			a[6] += w[6]
			a[7] += w[7]
		}
		for l := range 8 {
			z[l] = float64(m.Bias[l]) + float64(a[l])*scale
		}
	default:
		for l := range z {
			z[l] = 0
		}
		for _, f := range feats {
			w := m.W[int(f.Bucket)*L : int(f.Bucket)*L+L]
			for l := range w {
				z[l] += float64(w[l])
			}
		}
		for l := range z {
			z[l] = float64(m.Bias[l]) + z[l]*scale
		}
	}
}

// Prob maps a raw margin of label l to a calibrated probability.
func (m *Model) Prob(l int, z float64) float64 {
	return sigmoid(m.PlattA[l]*z + m.PlattB[l])
}

// Contributions adds, for label l, each feature's share of the margin to the
// tokens it came from: contrib must have one element per token. A feature
// over several tokens splits its share evenly.
func (m *Model) Contributions(feats []features.Feature, l int, contrib []float64) {
	L := len(m.Labels)
	scale := featureScale(len(feats))
	w := m.W[l:]
	for _, f := range feats {
		v := float64(w[int(f.Bucket)*L]) * scale
		if f.TokEnd == f.Tok+1 {
			contrib[f.Tok] += v
			continue
		}
		v /= float64(f.TokEnd - f.Tok)
		for t := f.Tok; t < f.TokEnd; t++ {
			contrib[t] += v
		}
	}
}

// featureScale normalises a text's features to unit length, so that long
// and short texts get margins on the same scale.
func featureScale(n int) float64 {
	if n == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(n))
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
