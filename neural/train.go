package neural

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
)

// Progress is told after each example is seen; it may be nil.
type Progress func(done, total int)

// Train fits a network to examples, whose labels may be linear.Unknown
// (such a label takes no part in the loss). It is deterministic: the same
// examples, labels and configurations give the same weights.
func Train(examples []linear.Example, labels []string, fc features.Config, c Config, progress Progress) (*Model, error) {
	if err := fc.Validate(); err != nil {
		return nil, err
	}
	if err := c.Validate(fc); err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, errors.New("no labels")
	}
	L, D, H := len(labels), c.Dim, c.Hidden
	for i, ex := range examples {
		if len(ex.Y) != L {
			return nil, fmt.Errorf("example %d has %d labels, want %d", i, len(ex.Y), L)
		}
	}
	m := &Model{
		Header: Header{Version: FormatVersion, Features: fc, Labels: append([]string(nil), labels...), Config: c, DataDigest: linear.Digest(examples)},
		Emb:    make([]float32, int(c.Buckets)*D),
		W1:     make([]float32, H*D),
		B1:     make([]float32, H),
		W2:     make([]float32, L*H),
		B2:     make([]float32, L),
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x4e4e))
	uniform := func(w []float32, r float64) {
		for i := range w {
			w[i] = float32((2*rng.Float64() - 1) * r)
		}
	}
	// Glorot's initialisation for the layers; embeddings uniform within
	// ±0.1 and hidden biases at 0.1. At fastText's ±1/Dim and zero biases
	// every hidden unit of the comment network died in the first epoch
	// (the sums of tiny embeddings barely differ between texts, so the
	// biases alone decided, and went negative).
	uniform(m.Emb, 0.1)
	uniform(m.W1, math.Sqrt(6/float64(D+H)))
	uniform(m.W2, math.Sqrt(6/float64(H+L)))
	for j := range m.B1 {
		m.B1[j] = 0.1
	}

	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	s := m.NewScratch()
	z := make([]float64, L)
	g := make([]float32, L)
	dh1 := make([]float32, H)
	dh0 := make([]float32, D)
	total := c.Epochs * len(examples)
	step := 0
	for range c.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, idx := range order {
			ex := &examples[idx]
			lr := float32(c.LR * (1 - float64(step)/float64(total)))
			step++
			if progress != nil && step%4096 == 0 {
				progress(step, total)
			}
			if len(ex.Buckets) == 0 {
				continue
			}
			wt := ex.Weight
			if wt == 0 {
				wt = 1
			}
			m.MarginsOf(ex.Buckets, s, z)
			any := false
			for l := range L {
				g[l] = 0
				if ex.Y[l] == linear.Unknown {
					continue
				}
				g[l] = float32(sigmoid(z[l])-float64(ex.Y[l])) * wt
				any = true
			}
			if !any {
				continue
			}
			// Output layer, and the gradient of the hidden layer.
			clear(dh1)
			for l := range L {
				if g[l] == 0 {
					continue
				}
				w := m.W2[l*H:][:H]
				for j := range H {
					dh1[j] += g[l] * w[j]
					w[j] -= lr * g[l] * s.h1[j]
				}
				m.B2[l] -= lr * g[l]
			}
			// Hidden layer, and the gradient of the mean embedding.
			clear(dh0)
			for j := range H {
				if s.h1[j] <= 0 || dh1[j] == 0 {
					continue
				}
				gj := dh1[j]
				w := m.W1[j*D:][:D]
				for d := range D {
					dh0[d] += gj * w[d]
					w[d] -= lr * gj * s.h0[d]
				}
				m.B1[j] -= lr * gj
			}

			// Each embedding took 1/sqrt(n) of the scaled sum.
			k := lr / float32(math.Sqrt(float64(len(ex.Buckets))))
			for _, b := range ex.Buckets {
				row := m.Emb[int(b&(c.Buckets-1))*D:][:D]
				for d := range D {
					row[d] -= k * dh0[d]
				}
			}
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return m, nil
}
