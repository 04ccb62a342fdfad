// Package neural is a small multi-task neural network over hashed
// features, in the manner of fastText: a text's feature buckets (package
// features) are folded into fewer buckets, each bucket has a learned
// embedding, the text is the mean of its embeddings, a hidden ReLU layer
// reads that mean, and every label has one logistic output over the hidden
// layer. The labels share the embeddings and the hidden layer, so a label
// with few examples learns from the representation the others shaped.
//
// Training is plain SGD, one example at a time in a seeded order, so that
// the same examples and configuration give the same weights. The model
// file stores the weights quantised to int8.
package neural

import (
	"fmt"
	"math"
	"slices"

	"github.com/forewarn/forewarn/features"
)

// Config sets the network's shape and its optimiser.
type Config struct {
	// Buckets is the number of embedding rows, a power of two no larger
	// than the features' buckets: a feature's row is its bucket modulo
	// Buckets.
	Buckets uint32 `json:"buckets"`
	// Dim is the embedding width and Hidden the hidden layer's.
	Dim    int `json:"dim"`
	Hidden int `json:"hidden"`
	// Epochs, LR and Seed set the optimiser: SGD whose learning rate falls
	// linearly from LR to zero over all epochs, over examples shuffled by
	// Seed.
	Epochs int     `json:"epochs"`
	LR     float64 `json:"lr"`
	Seed   uint64  `json:"seed"`
}

// Validate reports a configuration that cannot be trained.
func (c Config) Validate(fc features.Config) error {
	switch {
	case c.Buckets == 0 || c.Buckets&(c.Buckets-1) != 0 || c.Buckets > fc.Buckets:
		return fmt.Errorf("buckets %d is not a power of two up to the features' %d", c.Buckets, fc.Buckets)
	case c.Dim <= 0 || c.Dim%4 != 0 || c.Hidden <= 0:
		return fmt.Errorf("dim %d must be a positive multiple of 4 and hidden %d positive", c.Dim, c.Hidden)
	case c.Epochs <= 0 || c.LR <= 0:
		return fmt.Errorf("epochs %d and lr %g must be positive", c.Epochs, c.LR)
	}
	return nil
}

// Header describes a model; it is stored at the start of the model file.
type Header struct {
	// Version is the file format version.
	Version int `json:"version"`
	// Features is the feature configuration the model reads.
	Features features.Config `json:"features"`
	// Labels names the model's outputs in order.
	Labels []string `json:"labels"`
	// Config is the shape and optimiser the model was trained with.
	Config Config `json:"config"`
	// DataDigest traces the model to its training examples.
	DataDigest string `json:"data_digest"`
	// Notes holds free-form facts.
	Notes map[string]string `json:"notes,omitempty"`
}

// Model is a trained network. It is read-only after training or loading
// and safe for concurrent use.
type Model struct {
	Header
	// Emb holds Buckets rows of Dim weights in a trained model; a model
	// read from a file holds them quantised instead (see pack).
	Emb []float32
	// q holds a loaded model's embeddings as int8 plus 128 in 16-bit
	// lanes, four lanes to a word, Dim/4 words a row; scale holds the
	// factor of each dimension. Summing rows is then one integer addition
	// per four dimensions (see sumPacked).
	q     []uint64
	scale []float32
	// W1 holds Hidden rows of Dim weights, B1 their biases.
	W1, B1 []float32
	// W2 holds one row of Hidden weights per label, B2 their biases.
	W2, B2 []float32
}

// Scratch holds the buffers of one scoring goroutine. For a model read
// from a file its h0 is zero between texts.
type Scratch struct {
	h0, h1  []float32
	acc     []uint64
	buckets []uint32
}

// NewScratch returns buffers for scoring with m.
func (m *Model) NewScratch() *Scratch {
	return &Scratch{h0: make([]float32, m.Config.Dim), h1: make([]float32, m.Config.Hidden), acc: make([]uint64, m.Config.Dim/4)}
}

// Margins writes the raw margin of every label for the features into z,
// which must have one element per label.
func (m *Model) Margins(feats []features.Feature, s *Scratch, z []float64) {
	s.buckets = s.buckets[:0]
	for _, f := range feats {
		s.buckets = append(s.buckets, f.Bucket)
	}
	m.MarginsOf(s.buckets, s, z)
}

// MarginsOf writes the margins of a text given by its feature buckets.
func (m *Model) MarginsOf(buckets []uint32, s *Scratch, z []float64) {
	if m.q != nil {
		m.sumPacked(s, buckets)
		m.Finish(s, len(buckets), z)
		return
	}
	// A trained model's embeddings are floats; training reads s.h0 and
	// s.h1 after the call.
	clear(s.h0)
	for _, b := range buckets {
		m.addRow(s.h0, b)
	}
	m.mean(s.h0, len(buckets))
	m.top(s, z)
}

// PackBatch is how many rows the 16-bit lanes of a packed row can sum
// without carrying into each other: 256 * 255 < 65536.
const PackBatch = 256

// sumPacked adds the lane sums of the buckets' quantised embeddings to
// s.h0 (see Flush).
func (m *Model) sumPacked(s *Scratch, buckets []uint32) {
	W := m.Config.Dim / 4
	mask := m.Config.Buckets - 1
	for start := 0; start < len(buckets); start += PackBatch {
		batch := buckets[start:min(len(buckets), start+PackBatch)]
		acc := s.acc[:W]
		clear(acc)
		if W == 4 {
			// Dim 16, the embedded network's: four words in registers.
			var a0, a1, a2, a3 uint64
			for _, b := range batch {
				r := (*[4]uint64)(m.q[int(b&mask)*4:])
				a0 += r[0]
				a1 += r[1]
				a2 += r[2]
				a3 += r[3]
			}
			acc[0], acc[1], acc[2], acc[3] = a0, a1, a2, a3
		} else {
			for _, b := range batch {
				for k, v := range m.q[int(b&mask)*W:][:W] {
					acc[k] += v
				}
			}
		}
		s.Flush(acc, len(batch))
	}
}

// Row returns bucket b's quantised embedding as Dim/4 words of four
// 16-bit lanes, each an int8 weight plus 128, for a caller that sums the
// rows of a text itself: it adds the words of at most PackBatch rows,
// hands each batch's sums to Scratch.Flush, and ends with Finish. It is
// nil for a model that was trained but not read from a file.
func (m *Model) Row(b uint32) []uint64 {
	if m.q == nil {
		return nil
	}
	W := m.Config.Dim / 4
	return m.q[int(b&(m.Config.Buckets-1))*W:][:W]
}

// Flush adds to s the lane sums acc of n rows (see Row). A scratch is
// ready for a text when new and after every Margins, MarginsOf or Finish.
func (s *Scratch) Flush(acc []uint64, n int) {
	bias := float32(128 * n)
	for k, v := range acc {
		for j := range 4 {
			s.h0[4*k+j] += float32(uint16(v>>(16*j))) - bias
		}
	}
}

// Finish writes into z the margins of a text of n features whose rows were
// summed into s by Flush, and clears s for the next text.
func (m *Model) Finish(s *Scratch, n int, z []float64) {
	m.unscale(s.h0)
	m.mean(s.h0, n)
	m.top(s, z)
	clear(s.h0)
}

// unscale turns sums of quantised weights in h0 into sums of weights.
func (m *Model) unscale(h0 []float32) {
	for d := range h0 {
		h0[d] *= m.scale[d]
	}
}

// addRow adds the embedding of feature bucket b to h0.
func (m *Model) addRow(h0 []float32, b uint32) {
	D := len(h0)
	row := m.Emb[int(b&(m.Config.Buckets-1))*D:][:D]
	for d, v := range row {
		h0[d] += v
	}
}

// mean divides the sum of n embeddings in h0 by the square root of n, as
// the linear models scale their features: long and short texts get sums
// on the same scale.
func (m *Model) mean(h0 []float32, n int) {
	if n == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(float64(n)))
	for d := range h0 {
		h0[d] *= inv
	}
}

// top runs the hidden and output layers on s.h0.
func (m *Model) top(s *Scratch, z []float64) {
	D := m.Config.Dim
	for j := range s.h1 {
		a := m.B1[j] + dot(m.W1[j*D:][:D], s.h0)
		s.h1[j] = max(a, 0)
	}
	H := m.Config.Hidden
	for l := range z {
		z[l] = float64(m.B2[l] + dot(m.W2[l*H:][:H], s.h1))
	}
}

func dot(a, b []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// Keep returns a model with the outputs of the named labels only, in that
// order: a caller that needs a few heads then computes only those. The
// embeddings and hidden layer are shared with m.
func (m *Model) Keep(labels ...string) (*Model, error) {
	out := *m
	out.Labels = append([]string(nil), labels...)
	H := m.Config.Hidden
	out.W2, out.B2 = nil, nil
	for _, name := range labels {
		l := slices.Index(m.Labels, name)
		if l < 0 {
			return nil, fmt.Errorf("keep unknown label %q", name)
		}
		out.W2 = append(out.W2, m.W2[l*H:(l+1)*H]...)
		out.B2 = append(out.B2, m.B2[l])
	}
	return &out, nil
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
