package comment

import (
	"testing"

	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
)

// memberToy is a small problem for two labels from two sources: bucket 1
// means label 0, bucket 2 label 1.
func memberToy() ([]linear.Example, []string) {
	var ex []linear.Example
	var src []string
	for i := range 120 {
		b := []uint32{3, uint32(10 + i%7)}
		y := []int8{0, 0}
		if i%2 == 0 {
			b = append(b, 1)
			y[0] = 1
		}
		if i%3 == 0 {
			b = append(b, 2)
			y[1] = 1
		}
		ex = append(ex, linear.Example{Buckets: b, Y: y})
		src = append(src, []string{"x", "y"}[i%2])
	}
	return ex, src
}

func TestMembersAverageIntoTheirHead(t *testing.T) {
	fc := features.Config{Buckets: 1 << 6, Seed: 3, WordNgrams: 1, Hash: features.HashVersion}
	tc := linear.TrainConfig{Epochs: 3, LR: 0.1, L2: 1e-6, Seed: 1, Objective: "macro-f1"}
	ex, src := memberToy()
	labels := []string{"a", "b"}
	plain, err := linear.Train(ex, labels, fc, tc, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A member trained like the head itself leaves the head as it was:
	// the mean of two equal models is the model.
	r := Recipe{Features: fc, Train: tc, Members: []Member{{Head: "b", Train: tc}}}
	same, _ := linear.Train(ex, labels, fc, tc, nil)
	if err := r.addMembers(same, ex, src); err != nil {
		t.Fatal(err)
	}
	for i := range plain.W {
		if d := plain.W[i] - same.W[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("weight %d moved from %g to %g", i, plain.W[i], same.W[i])
		}
	}
	// A member on one source moves its head and no other.
	r.Members[0].Sources = []string{"x"}
	moved, _ := linear.Train(ex, labels, fc, tc, nil)
	if err := r.addMembers(moved, ex, src); err != nil {
		t.Fatal(err)
	}
	changed := false
	for i := range plain.W {
		if i%2 == 0 && plain.W[i] != moved.W[i] {
			t.Fatalf("member of b moved weight %d of a", i)
		}
		changed = changed || plain.W[i] != moved.W[i]
	}
	if !changed {
		t.Error("a member on one source left its head unchanged")
	}
	r.Members[0].Head = "c"
	if err := r.addMembers(moved, ex, src); err == nil {
		t.Error("a member of an unknown head was accepted")
	}
}
