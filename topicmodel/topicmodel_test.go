package topicmodel

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/modeltest"
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
	c, err := LoadCorpus(modeltest.Retraining(t))
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
	modeltest.Same(t, m, modelFS, ModelFile, "forewarn train --task topics")
}

func TestTrainNB(t *testing.T) {
	l := 0 // violence, a Webis label
	y := func(v int8) []int8 {
		out := unknownY()
		out[l] = v
		return out
	}
	e := examples{
		ex: []linear.Example{
			{Buckets: []uint32{1, 2}, Y: y(1)},
			{Buckets: []uint32{1, 3}, Y: y(1)},
			{Buckets: []uint32{4, 3}, Y: y(0)},
			{Buckets: []uint32{4, 5}, Y: y(0)},
		},
		judged: []bool{true, true, true, true},
	}
	w, b := trainNB(e, 8, 0.1)
	tests := []struct {
		name string
		got  bool
	}{
		{"a bucket only in positives weighs more than one only in negatives", w[l][1] > 0 && w[l][4] < 0},
		{"a bucket in both classes weighs about nothing", w[l][3] > w[l][4] && w[l][3] < w[l][1]},
		{"balanced classes give no bias", b[l] == 0},
		{"labels without examples get no weights", w[1] == nil},
	}
	for _, tt := range tests {
		if !tt.got {
			t.Error(tt.name)
		}
	}
}

func TestCrossFitted(t *testing.T) {
	// One input that separates the classes: every row is predicted from
	// the other folds' rows, and right.
	var xs [][]float64
	var ys []int8
	var fold []int
	for i := range 40 {
		v := int8(i % 2)
		xs = append(xs, []float64{float64(v)*2 - 1 + float64(i%5)/10})
		ys = append(ys, v)
		fold = append(fold, i%4)
	}
	p := crossFitted(xs, ys, fold, 4, 1e-2)
	for i, pi := range p {
		if (pi >= 0.5) != (ys[i] == 1) {
			t.Errorf("row %d: p %.3f for label %d", i, pi, ys[i])
		}
	}
}

// TestInnerWebis checks that the selection score decides every training
// passage of every outer fold once and never a held-out one: each passage
// is in the training part of all outer folds but its own.
func TestInnerWebis(t *testing.T) {
	words := [][2]string{{"punched kicked bleeding", "gardens picnic sunny"}, {"tanks trenches artillery", "recipes flour oven"}}
	var ps []dataset.WebisPassage
	for i := range 60 {
		w := i % len(dataset.WebisWarnings)
		pos := i/len(dataset.WebisWarnings)%2 == 0
		text := words[i%2][1]
		if pos {
			text = words[i%2][0]
		}
		y := make([]int8, len(dataset.WebisWarnings))
		for k := range y {
			y[k] = dataset.Unknown
		}
		if pos {
			y[w] = 1
		} else {
			y[w] = 0
		}
		ps = append(ps, dataset.WebisPassage{Text: dataset.Text{ID: fmt.Sprint(i), Text: text, Y: y, Group: fmt.Sprint("work-", i)}, Yes: int(y[w]), Votes: 1})
	}
	cfg := DefaultConfig
	cfg.Features.Buckets = 1 << 10
	const folds = 3
	r, err := InnerWebis(context.Background(), ps, nil, cfg, folds, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != len(dataset.WebisWarnings) {
		t.Fatalf("%d rows, want %d", len(r.Rows), len(dataset.WebisWarnings))
	}
	for w, row := range r.Rows {
		n := 0
		for _, p := range ps {
			if p.Y[w] != dataset.Unknown {
				n++
			}
		}
		if got := row.Counts.N(); got != (folds-1)*n {
			t.Errorf("%s: %d decisions, want %d", row.Name, got, (folds-1)*n)
		}
	}
}

// TestCommentEvidence checks that every label gets the comment scores,
// in the comment model's label order, and that they follow the text.
func TestCommentEvidence(t *testing.T) {
	c, err := comment.Default()
	if err != nil {
		t.Fatal(err)
	}
	ev := CommentEvidence(c)
	kind := ev("We planted tomatoes in the garden this morning.")
	cruel := ev("You are a worthless idiot and everyone hates you, shut up.")
	if len(kind) != len(Labels) || len(cruel) != len(Labels) {
		t.Fatalf("got %d and %d rows, want %d", len(kind), len(cruel), len(Labels))
	}
	off := slices.Index(c.Labels(), "offensive")
	for l := range Labels {
		if len(kind[l]) != len(c.Labels()) {
			t.Fatalf("label %s: %d inputs, want %d", Labels[l], len(kind[l]), len(c.Labels()))
		}
		if kind[l][off] >= cruel[l][off] {
			t.Errorf("label %s: offensive input %.3f for a kind text, %.3f for a cruel one", Labels[l], kind[l][off], cruel[l][off])
		}
	}
}

// tinyDocs returns Webis-like passages whose words tell the warning's
// class, for training small models in tests.
func tinyDocs(n int) []Doc {
	words := [][2]string{{"punched kicked bleeding", "gardens picnic sunny"}, {"tanks trenches artillery", "recipes flour oven"}}
	var docs []Doc
	for i := range n {
		w := i % len(dataset.WebisWarnings)
		pos := i/len(dataset.WebisWarnings)%2 == 0
		y := make([]int8, len(dataset.WebisWarnings))
		for k := range y {
			y[k] = dataset.Unknown
		}
		text := words[i%2][1]
		if pos {
			text, y[w] = words[i%2][0], 1
		} else {
			y[w] = 0
		}
		docs = append(docs, WebisDocs([]dataset.WebisPassage{{Text: dataset.Text{ID: fmt.Sprint(i), Text: text, Y: y, Group: fmt.Sprint("work-", i)}, Yes: int(y[w]), Votes: 1}})...)
	}
	return docs
}

// TestInnerConfusionNotes checks that a trained model records, per
// label, one inner out-of-fold decision for every document that judged
// it, that the figure reads back, and that a recipe with an unknown
// objective is refused.
func TestInnerConfusionNotes(t *testing.T) {
	docs := tinyDocs(400)
	cfg := DefaultConfig
	cfg.Features.Buckets = 1 << 10
	m, err := Train(docs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for l, label := range Labels {
		n := 0
		for _, d := range docs {
			if d.Y[l] != dataset.Unknown {
				n++
			}
		}
		c, ok := InnerConfusion(m, label)
		if ok != (n > 0) || c.N() != n {
			t.Errorf("%s: %d inner decisions (noted %v), want %d", label, c.N(), ok, n)
		}
		if n > 0 && c.Accuracy() < 0.9 {
			t.Errorf("%s: inner accuracy %.2f on words that give the class away", label, c.Accuracy())
		}
	}
	cfg.Train.Objective = "auc"
	if _, err := Train(docs, cfg); err == nil {
		t.Error("unknown objective: no error")
	}
}
