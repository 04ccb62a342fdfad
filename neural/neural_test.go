package neural

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"testing/fstest"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
)

var testFeatures = features.Config{Buckets: 1 << 8, Seed: 7, WordNgrams: 1, Hash: features.HashVersion}

var testConfig = Config{Buckets: 1 << 6, Dim: 8, Hidden: 8, Epochs: 30, LR: 0.5, Seed: 1}

// toy returns a problem a linear model cannot solve for label 1 (the
// exclusive or of buckets 1 and 2) and an easy label 0 (bucket 1), with
// label 1 sometimes unknown, and bucket 3 in every text.
func toy() []linear.Example {
	var ex []linear.Example
	for i := range 400 {
		b := []uint32{3}
		a, c := i%2 == 0, i%3 == 0
		if a {
			b = append(b, 1)
		}
		if c {
			b = append(b, 2)
		}
		y := []int8{0, 0}
		if a {
			y[0] = 1
		}
		if a != c {
			y[1] = 1
		}
		if i%10 == 0 {
			y[1] = linear.Unknown
		}
		ex = append(ex, linear.Example{Buckets: b, Y: y})
	}
	return ex
}

func TestTrainLearnsLabels(t *testing.T) {
	m, err := Train(toy(), []string{"a", "xor"}, testFeatures, testConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := m.NewScratch()
	z := make([]float64, 2)
	for i, ex := range toy() {
		m.MarginsOf(ex.Buckets, s, z)
		for l, y := range ex.Y {
			if y != linear.Unknown && (z[l] > 0) != (y == 1) {
				t.Fatalf("example %d label %d: margin %.3f, want label %d", i, l, z[l], y)
			}
		}
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	var files [2][]byte
	for k := range files {
		m, err := Train(toy(), []string{"a", "xor"}, testFeatures, testConfig, nil)
		if err != nil {
			t.Fatal(err)
		}
		if files[k], err = m.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Fatal("two trainings on the same data gave different files")
	}
}

func TestTrainRejects(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		c      Config
	}{
		{"no labels", nil, testConfig},
		{"buckets not a power of two", []string{"a", "xor"}, Config{Buckets: 48, Dim: 8, Hidden: 8, Epochs: 1, LR: 0.1}},
		{"more buckets than features", []string{"a", "xor"}, Config{Buckets: 1 << 9, Dim: 8, Hidden: 8, Epochs: 1, LR: 0.1}},
		{"no hidden layer", []string{"a", "xor"}, Config{Buckets: 64, Dim: 8, Epochs: 1, LR: 0.1}},
		{"no epochs", []string{"a", "xor"}, Config{Buckets: 64, Dim: 8, Hidden: 8, LR: 0.1}},
		{"label count", []string{"a"}, testConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Train(toy(), tt.labels, testFeatures, tt.c, nil); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestFileRoundTrip(t *testing.T) {
	m, err := Train(toy(), []string{"a", "xor"}, testFeatures, testConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(fstest.MapFS{"nn.fwm": {Data: b}}, "nn.fwm")
	if err != nil {
		t.Fatal(err)
	}
	s, gs := m.NewScratch(), got.NewScratch()
	z, gz := make([]float64, 2), make([]float64, 2)
	for _, ex := range toy()[:20] {
		m.MarginsOf(ex.Buckets, s, z)
		got.MarginsOf(ex.Buckets, gs, gz)
		for l := range z {
			// int8 embeddings: the margins move a little, never the sign
			// of a confident one.
			if d := z[l] - gz[l]; d > 0.1 || d < -0.1 {
				t.Fatalf("label %d: margin %.4f, after the round trip %.4f", l, z[l], gz[l])
			}
		}
	}
	again, _ := got.MarshalBinary()
	if !bytes.Equal(b, again) {
		t.Fatal("decoding and encoding again changed the file")
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	m, err := Train(toy(), []string{"a", "xor"}, testFeatures, Config{Buckets: 64, Dim: 4, Hidden: 4, Epochs: 1, LR: 0.1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := m.MarshalBinary()
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"truncated", good[:len(good)-1]},
		{"flipped bit", flipped},
		{"linear model magic", append([]byte("FOREWARN"), good[8:]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.b); !errors.Is(err, forewarn.ErrBadModel) {
				t.Fatalf("Decode: %v, want ErrBadModel", err)
			}
		})
	}
}

func TestKeep(t *testing.T) {
	m, err := Train(toy(), []string{"a", "xor"}, testFeatures, testConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := m.Keep("xor")
	if err != nil {
		t.Fatal(err)
	}
	s := m.NewScratch()
	z, kz := make([]float64, 2), make([]float64, 1)
	for _, ex := range toy()[:20] {
		m.MarginsOf(ex.Buckets, s, z)
		k.MarginsOf(ex.Buckets, s, kz)
		if z[1] != kz[0] {
			t.Fatalf("kept head margin %v, full model's %v", kz[0], z[1])
		}
	}
	if _, err := m.Keep("nope"); err == nil {
		t.Fatal("Keep of an unknown label: want an error")
	}
}

// randomModel returns a model of the given shape with random weights over
// the default features, as its file gives it back.
func randomModel(t testing.TB, dim, hidden int) *Model {
	fc := features.DefaultConfig
	c := Config{Buckets: 1 << 16, Dim: dim, Hidden: hidden, Epochs: 1, LR: 0.1}
	m := &Model{Header: Header{Features: fc, Labels: []string{"a", "b"}, Config: c}}
	rng := rand.New(rand.NewPCG(1, 2))
	r := func(n int) []float32 {
		w := make([]float32, n)
		for i := range w {
			w[i] = float32(rng.NormFloat64())
		}
		return w
	}
	m.Emb, m.W1, m.B1, m.W2, m.B2 = r(int(c.Buckets)*dim), r(hidden*dim), r(hidden), r(2*hidden), r(2)
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if m, err = Decode(b); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPackedSum checks the integer sum of quantised rows against the
// float sum of the same rows, for texts shorter and longer than one batch
// of the 16-bit lanes, on the unrolled and the general width.
func TestPackedSum(t *testing.T) {
	for _, dim := range []int{16, 32} {
		m := randomModel(t, dim, 8)
		fl := &Model{Header: m.Header, W1: m.W1, B1: m.B1, W2: m.W2, B2: m.B2}
		_, q := m.quantised()
		for i, v := range q {
			fl.Emb = append(fl.Emb, float32(int8(v))*m.scale[i%dim])
		}
		for _, n := range []int{0, 1, 255, 256, 257, 1000} {
			buckets := make([]uint32, n)
			for i := range buckets {
				buckets[i] = uint32(i*7919) % (1 << 18)
			}
			s := m.NewScratch()
			z, fz := make([]float64, 2), make([]float64, 2)
			m.MarginsOf(buckets, s, z)
			fl.MarginsOf(buckets, s, fz)
			for l := range z {
				if math.Abs(z[l]-fz[l]) > 1e-3*max(1, math.Abs(fz[l])) {
					t.Errorf("dim %d, %d rows, label %d: packed margin %v, float %v", dim, n, l, z[l], fz[l])
				}
			}
		}
	}
}

// BenchmarkMargins scores a short comment's features with networks of
// the embedded shape (dim 16) and a wider one, one output each for the
// two heads a comment model blends.
func BenchmarkMargins(b *testing.B) {
	ex, _ := features.NewExtractor(features.DefaultConfig)
	text := "@USER @USER Go home you’re drunk!!! This is the stupidest thing I have ever read, what a clown. #MAGA URL"
	feats, _ := ex.Extract(nil, text)
	for _, dim := range []int{16, 32} {
		b.Run(fmt.Sprint("dim", dim), func(b *testing.B) {
			m := randomModel(b, dim, dim)
			s := m.NewScratch()
			z := make([]float64, 2)
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				m.Margins(feats, s, z)
			}
		})
	}
}
