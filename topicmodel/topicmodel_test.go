package topicmodel

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
)

func TestDefault(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Labels, Labels) {
		t.Errorf("labels %v, want %v", m.Labels, Labels)
	}
	x, err := features.NewExtractor(m.Features)
	if err != nil {
		t.Fatal(err)
	}
	z := make([]float64, m.NumLabels())
	score := func(text, label string) float64 {
		f, _ := x.Extract(nil, text)
		m.Margins(f, z)
		l := 0
		for l < len(Labels) && Labels[l] != label {
			l++
		}
		return m.Prob(l, z[l])
	}
	tests := []struct{ label, hot, calm string }{
		{"war", "The soldiers advanced under artillery fire while the battalion held the trench.", "We planted tulips along the garden fence this spring."},
		{"suicide", "I keep thinking about ending my life, I wrote a note and I don't want to wake up tomorrow.", "The bakery on the corner sells the best rye bread in town."},
	}
	for _, tt := range tests {
		if h, c := score(tt.hot, tt.label), score(tt.calm, tt.label); h <= c {
			t.Errorf("%s: %.3f for the topical text, %.3f for the calm one", tt.label, h, c)
		}
	}
}

func TestGroupFolds(t *testing.T) {
	groups := []string{"a", "b", "a", "c", "d", "b", "e"}
	f := groupFolds(groups, 3, 7)
	if !reflect.DeepEqual(f, groupFolds(groups, 3, 7)) {
		t.Fatal("fold assignment not deterministic")
	}
	if f[0] != f[2] || f[1] != f[5] {
		t.Errorf("a group straddles folds: %v", f)
	}
	size := map[int]int{}
	for _, k := range map[string]int{"a": f[0], "b": f[1], "c": f[3], "d": f[4], "e": f[6]} {
		size[k]++
	}
	for k, n := range size {
		if n > 2 {
			t.Errorf("fold %d holds %d of 5 groups", k, n)
		}
	}
}

func TestUserDoc(t *testing.T) {
	u := dataset.Unknown
	tests := []struct {
		level     string
		sui, harm int8
	}{
		{"Supportive", 0, 0}, {"Indicator", u, u}, {"Ideation", 1, u}, {"Behavior", 1, 1}, {"Attempt", 1, u},
	}
	for _, tt := range tests {
		d := UserDoc(dataset.CSSRSUser{User: "x", Posts: []string{"one", "two"}, Level: tt.level})
		if got := [2]int8{d.Y[11], d.Y[12]}; got != [2]int8{tt.sui, tt.harm} {
			t.Errorf("%s: suicide, self-harm = %v, want %v", tt.level, got, [2]int8{tt.sui, tt.harm})
		}
	}
}

// TestRetrainIdentical retrains the embedded model from the public datasets
// and wants the same bytes: the recipe is deterministic and the committed
// file is what it produces.
func TestRetrainIdentical(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	if testing.Short() {
		t.Skip("skipping retraining in short mode")
	}
	c, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Docs()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(docs, DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want, err := modelFS.ReadFile(ModelFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("retrained model differs from %s (%d vs %d bytes): retrain with forewarn train --task topics", ModelFile, len(got), len(want))
	}
}
