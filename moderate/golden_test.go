package moderate_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/warn"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenLine is one decision in testdata/decisions.golden.jsonl.
type goldenLine struct {
	Post     string              `json:"post"`
	Text     string              `json:"text"`
	Decision forewarn.Decision   `json:"decision"`
	Reasons  []string            `json:"reasons"`
	Evidence []forewarn.Evidence `json:"evidence"`
	Scores   map[string]float64  `json:"scores"`
}

// scoreTolerance is how far a score may move from its golden value, as
// in the CLI's score goldens: a retrain moves scores by a few hundredths,
// and that alone should not rewrite the file; a decision, a reason or an
// evidence span that moves fails at once, as they are compared exactly.
const scoreTolerance = 0.05

// TestGolden decides the context and acceptance cases under the loss and
// recipe posts and compares decisions, reasons and evidence spans exactly
// and scores within scoreTolerance with testdata/decisions.golden.jsonl.
// Run with -update to rewrite it after a deliberate change.
func TestGolden(t *testing.T) {
	det, err := warn.New(warn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := newModerator(t)
	posts := []struct {
		name string
		post *forewarn.Post
	}{{"loss", loadPost(t, det, m, "testdata/loss.txt")}, {"recipe", loadPost(t, det, m, "testdata/recipe.txt")}}
	var texts []string
	for _, c := range contextCases(t) {
		texts = append(texts, c.text)
	}
	for _, c := range acceptanceCases {
		texts = append(texts, c.text)
	}
	var got []goldenLine
	for _, p := range posts {
		for _, text := range texts {
			v := m.Decide(p.post, text)
			got = append(got, goldenLine{Post: p.name, Text: text, Decision: v.Decision, Reasons: v.Reasons, Evidence: v.Evidence, Scores: v.Scores})
		}
	}
	const path = "testdata/decisions.golden.jsonl"
	if *update {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, g := range got {
			enc.Encode(g)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var want []goldenLine
	for dec.More() {
		var g goldenLine
		if err := dec.Decode(&g); err != nil {
			t.Fatal(err)
		}
		want = append(want, g)
	}
	if len(want) != len(got) {
		t.Fatalf("%d golden lines, %d decisions (run with -update if the cases changed)", len(want), len(got))
	}
	for i, g := range got {
		w := want[i]
		if g.Post != w.Post || g.Text != w.Text {
			t.Fatalf("line %d is %s %q, golden has %s %q", i+1, g.Post, g.Text, w.Post, w.Text)
		}
		if g.Decision != w.Decision || !reflect.DeepEqual(g.Reasons, w.Reasons) || !sameEvidence(g.Evidence, w.Evidence) {
			t.Errorf("%s %q: %s %q %v, golden %s %q %v", g.Post, g.Text, g.Decision, g.Reasons, g.Evidence, w.Decision, w.Reasons, w.Evidence)
		}
		if len(g.Scores) != len(w.Scores) {
			t.Errorf("%s %q: scores %v, golden %v", g.Post, g.Text, g.Scores, w.Scores)
		}
		for k, v := range w.Scores {
			if gv, ok := g.Scores[k]; !ok || math.Abs(gv-v) > scoreTolerance {
				t.Errorf("%s %q: score %s %.4f, golden %.4f", g.Post, g.Text, k, gv, v)
			}
		}
	}
}

func sameEvidence(a, b []forewarn.Evidence) bool {
	return len(a) == 0 && len(b) == 0 || reflect.DeepEqual(a, b)
}
