package comment

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/neural"
)

func TestNetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"model/comment.fwm", "model/comment-net.fwm"},
		{"comment", "comment-net.fwm"},
		{"a.b.fwm", "a.b-net.fwm"},
	}
	for _, tt := range tests {
		if got := NetName(tt.in); got != tt.want {
			t.Errorf("NetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// netFiles returns the files of a small comment model over eight heads
// and of a network blended into its sexism head at weight 0.5; the model's
// notes name the network by netNote, or by the network's digest when
// netNote is empty.
func netFiles(t *testing.T, netNote string) (fstest.MapFS, *linear.Model, *neural.Model) {
	t.Helper()
	fc := features.Config{Buckets: 1 << 10, Seed: 3, WordNgrams: 2, MinN: 3, MaxN: 4, Hash: features.HashVersion}
	ex, _ := features.NewExtractor(fc)
	var examples []linear.Example
	for i, s := range []string{"you are a clown", "what a lovely day", "women should stay quiet", "thanks for sharing", "go away idiot", "nice photo"} {
		feats, _ := ex.Extract(nil, s)
		b := make([]uint32, len(feats))
		for j, f := range feats {
			b[j] = f.Bucket
		}
		y := labels()
		y[lSex] = int8(i % 2)
		y[lOff] = int8((i + 1) % 2)
		examples = append(examples, linear.Example{Buckets: b, Y: y})
	}
	m, err := linear.Train(examples, Labels, fc, linear.TrainConfig{Epochs: 2, LR: 0.1, Seed: 1, Objective: "macro-f1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	net, err := neural.Train(examples, Labels, fc, neural.Config{Buckets: 1 << 8, Dim: 8, Hidden: 4, Epochs: 3, LR: 0.1, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if net, err = net.Keep("sexism"); err != nil {
		t.Fatal(err)
	}
	net.Notes = map[string]string{"blend/sexism": "0.5"}
	nb, err := net.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if netNote == "" {
		netNote = netDigest(nb)
	}
	m.Notes = map[string]string{"net": netNote}
	mb, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if m, err = linear.Decode(mb); err != nil {
		t.Fatal(err)
	}
	if net, err = neural.Decode(nb); err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"c.fwm": {Data: mb}, "c-net.fwm": {Data: nb}}, m, net
}

func TestLoadBlendsTheNetwork(t *testing.T) {
	fsys, m, net := netFiles(t, "")
	c, err := Load(fsys, "c.fwm")
	if err != nil {
		t.Fatal(err)
	}
	if c.Net() == nil {
		t.Fatal("the network was not loaded")
	}
	ex, _ := features.NewExtractor(m.Features)
	for _, text := range []string{"women should stay quiet, clown", "", "a lovely day"} {
		feats, _ := ex.Extract(nil, text)
		z := make([]float64, len(Labels))
		m.Margins(feats, z)
		nz := make([]float64, 1)
		net.Margins(feats, net.NewScratch(), nz)
		probs := make([]float64, len(Labels))
		c.Explain(text, probs, nil)
		for l := range Labels {
			want := z[l]
			if l == lSex {
				want += 0.5 * nz[0]
			}
			if p := m.Prob(l, want); math.Abs(p-probs[l]) > 1e-9 {
				t.Errorf("%q, %s: probability %v, want %v", text, Labels[l], probs[l], p)
			}
		}
	}
}

func TestLoadRejectsAnotherNetwork(t *testing.T) {
	fsys, _, _ := netFiles(t, "0000")
	if _, err := Load(fsys, "c.fwm"); !errors.Is(err, forewarn.ErrBadModel) {
		t.Fatalf("Load with a network of other bytes: %v, want ErrBadModel", err)
	}
	fsys, _, _ = netFiles(t, "")
	delete(fsys, "c-net.fwm")
	if _, err := Load(fsys, "c.fwm"); err == nil {
		t.Fatal("Load without the network file: want an error")
	}
}

// TestFusedMatchesSeparatePasses checks that the one-pass scoring of the
// embedded model and network gives exactly the margins of the two models'
// own passes, for texts shorter and longer than a batch of the network's
// lanes.
func TestFusedMatchesSeparatePasses(t *testing.T) {
	c := defaultClassifier(t)
	if c.fused == nil {
		t.Fatal("the embedded model and network are not fused")
	}
	ex, _ := features.NewExtractor(c.Model().Features)
	long := strings.Repeat("women belong in the kitchen, you idiot; ", 40)
	for _, text := range []string{"", "ok", "@USER Go home you’re drunk!!! what a clown", long} {
		feats, _ := ex.Extract(nil, text)
		z, nz := make([]float64, 8), make([]float64, len(c.Net().Labels))
		c.Model().Margins(feats, z)
		c.Net().Margins(feats, c.Net().NewScratch(), nz)
		fz, fnz := make([]float64, 8), make([]float64, len(c.Net().Labels))
		ns := c.Net().NewScratch()
		for range 2 {
			// Twice on one scratch: the first text must leave it clean.
			c.fused.margins(c.Model(), c.Net(), ns, feats, fz, fnz)
		}
		if !reflect.DeepEqual(z, fz) || !reflect.DeepEqual(nz, fnz) {
			t.Errorf("%d features: fused %v %v, separate %v %v", len(feats), fz, fnz, z, nz)
		}
	}
}
