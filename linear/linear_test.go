package linear

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"testing/fstest"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/metrics"
)

var testFeatures = features.Config{Buckets: 1 << 8, Seed: 7, WordNgrams: 1, Hash: features.HashVersion}

// toy returns a separable problem: bucket 1 means label 0, bucket 2 label 1,
// and bucket 3 carries no signal.
func toy() []Example {
	var ex []Example
	for i := range 200 {
		b := []uint32{3}
		y := []int8{0, 0}
		if i%2 == 0 {
			b = append(b, 1)
			y[0] = 1
		}
		if i%3 == 0 {
			b = append(b, 2)
			y[1] = 1
		}
		if i%10 == 0 {
			y[1] = Unknown
		}
		ex = append(ex, Example{Buckets: b, Y: y})
	}
	return ex
}

func trainToy(t *testing.T, tc TrainConfig) *Model {
	t.Helper()
	m, err := Train(toy(), []string{"a", "b"}, testFeatures, tc, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Calibrate(toy())
	return m
}

func TestTrainLearnsSeparableLabels(t *testing.T) {
	for _, nb := range []bool{false, true} {
		tc := DefaultTrainConfig
		tc.NB = nb
		m := trainToy(t, tc)
		z := make([]float64, 2)
		for _, ex := range toy() {
			m.MarginsOf(&ex, z)
			for l, y := range ex.Y {
				if y == Unknown {
					continue
				}
				if got := m.Prob(l, z[l]) >= m.Thresholds[l]; got != (y == 1) {
					t.Fatalf("nb=%v: label %d of %v predicted %v", nb, l, ex.Buckets, got)
				}
			}
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	a, _ := trainToy(t, DefaultTrainConfig).MarshalBinary()
	b, _ := trainToy(t, DefaultTrainConfig).MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("same data and seed gave different model bytes")
	}
	tc := DefaultTrainConfig
	tc.Seed = 99
	c, _ := trainToy(t, tc).MarshalBinary()
	if bytes.Equal(a, c) {
		t.Fatal("a different seed gave the same bytes: the seed is not used")
	}
}

func TestFileRoundTrip(t *testing.T) {
	m := trainToy(t, DefaultTrainConfig)
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(fstest.MapFS{"m.fwm": {Data: b}}, "m.fwm")
	if err != nil {
		t.Fatal(err)
	}
	if got.Features != m.Features || len(got.Labels) != 2 || got.Thresholds[0] != m.Thresholds[0] {
		t.Fatalf("header changed: %+v", got.Header)
	}
	for i, w := range m.W {
		if d := got.W[i] - w; d > 1e-3 || d < -1e-3 {
			t.Fatalf("weight %d: %v, want %v", i, got.W[i], w)
		}
	}
}

func TestDecodeRejectsBadFiles(t *testing.T) {
	good, _ := trainToy(t, DefaultTrainConfig).MarshalBinary()
	flip := bytes.Clone(good)
	flip[len(flip)/2] ^= 0xff
	version := bytes.Clone(good)
	version[8] = 9
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"foreign", []byte("PK\x03\x04 this is a zip file, not a model at all....................")},
		{"truncated", good[:len(good)-10]},
		{"corrupt byte", flip},
		{"future version", version},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.data); !errors.Is(err, forewarn.ErrBadModel) {
				t.Fatalf("Decode = %v, want ErrBadModel", err)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	if _, err := Load(fstest.MapFS{}, "nope.fwm"); err == nil {
		t.Fatal("loading a missing file succeeded")
	}
}

func TestBestThreshold(t *testing.T) {
	p := []float64{0.9, 0.8, 0.7, 0.3, 0.2, 0.1}
	y := []int8{1, 1, 1, 0, 0, 0}
	if th, f1 := BestThreshold(p, y, "f1"); th <= 0.3 || th >= 0.7 || f1 != 1 {
		t.Fatalf("threshold %v does not separate the classes", th)
	}
}

// TestBestThresholdObjectives checks that the objective picks the cut.
// The labels, from the highest score down, are 1 0 0 1 1 0 1 0 0 1:
// accuracy is best flagging only the top example (6 of 10 right), macro-F1
// flagging the top five (0.6 for both classes), and F1 flagging the top
// seven (2/3, against 0.6 at five; flagging all ten ties, and the first
// best cut is kept).
func TestBestThresholdObjectives(t *testing.T) {
	p := []float64{0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15, 0.05}
	y := []int8{1, 0, 0, 1, 1, 0, 1, 0, 0, 1}
	for _, c := range []struct {
		obj  metrics.Objective
		want float64
	}{{metrics.Accuracy, 0.9}, {metrics.MacroF1, 0.5}, {metrics.F1, 0.3}} {
		if th, _ := BestThreshold(p, y, c.obj); math.Abs(th-c.want) > 1e-9 {
			t.Errorf("%s: threshold %v, want %v", c.obj, th, c.want)
		}
	}
}

// TestTrainRejectsUnknownObjective checks that a misspelt objective is an
// error, not a silent F1.
func TestTrainRejectsUnknownObjective(t *testing.T) {
	tc := DefaultTrainConfig
	tc.Objective = "macro_f1"
	if _, err := Train(toy(), []string{"a", "b"}, testFeatures, tc, nil); err == nil {
		t.Fatal("unknown objective: no error")
	}
	var back TrainConfig
	if err := json.Unmarshal([]byte(`{"objective": "auc"}`), &back); err == nil {
		t.Fatal("unknown objective in JSON: no error")
	}
}

func FuzzDecode(f *testing.F) {
	m, err := Train(toy(), []string{"a", "b"}, testFeatures, DefaultTrainConfig, nil)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := m.MarshalBinary()
	f.Add(good)
	f.Add([]byte("FOREWARN"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Decode(b) // must not panic
	})
}

// TestMarginsShapes checks that the unrolled scoring paths give the same
// margins as the general one for every label count.
func TestMarginsShapes(t *testing.T) {
	for _, L := range []int{1, 3, 5, 8} {
		fc := features.Config{Buckets: 16, WordNgrams: 1, Hash: features.HashVersion}
		m := &Model{Header: Header{Features: fc, Labels: make([]string, L)}, W: make([]float32, 16*L), Bias: make([]float32, L)}
		for i := range m.W {
			m.W[i] = float32(i%7) - 3
		}
		for l := range m.Bias {
			m.Bias[l] = float32(l)
		}
		feats := []features.Feature{{Bucket: 3}, {Bucket: 9}, {Bucket: 3}, {Bucket: 15}}
		ex := Example{Buckets: []uint32{3, 9, 3, 15}}
		got, want := make([]float64, L), make([]float64, L)
		m.Margins(feats, got)
		m.MarginsOf(&ex, want)
		for l := range L {
			if math.Abs(got[l]-want[l]) > 1e-9 {
				t.Errorf("L=%d label %d: Margins %v, MarginsOf %v", L, l, got[l], want[l])
			}
		}
	}
}

func TestHeadConfigMovesOnlyItsLabel(t *testing.T) {
	base := DefaultTrainConfig
	own := base
	own.Heads = map[string]HeadConfig{"b": {Epochs: 2, LR: 0.05}}
	m0, err := Train(toy(), []string{"a", "b"}, testFeatures, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	m1, err := Train(toy(), []string{"a", "b"}, testFeatures, own, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameA, sameB := true, true
	for i := range m0.W {
		if i%2 == 0 && m0.W[i] != m1.W[i] {
			sameA = false
		}
		if i%2 == 1 && m0.W[i] != m1.W[i] {
			sameB = false
		}
	}
	if !sameA || m0.Bias[0] != m1.Bias[0] {
		t.Error("settings of head b changed the weights of head a")
	}
	if sameB {
		t.Error("settings of head b did not change its weights")
	}
	own.Heads = map[string]HeadConfig{"c": {Epochs: 2}}
	if _, err := Train(toy(), []string{"a", "b"}, testFeatures, own, nil); err == nil {
		t.Error("settings for an unknown head were accepted")
	}
}
