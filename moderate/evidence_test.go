package moderate_test

import (
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/moderate"
)

// A long hostile comment keeps, per label, the first forewarn.MaxEvidence
// spans of the comment model and of the phrase layer, not one per insult.
func TestEvidenceBounded(t *testing.T) {
	m, err := moderate.New(nil, moderate.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	const unit = "you idiot "
	text := strings.Repeat(unit, 5000)
	post := &forewarn.Post{ID: "p", Sensitive: true}
	v := m.Decide(post, text)
	n := m.Nudge(post, text)
	if v.Decision != forewarn.Hold || !n.Nudge {
		t.Fatalf("decision %s, nudge %v; want hold and a nudge", v.Decision, n.Nudge)
	}
	for name, ev := range map[string][]forewarn.Evidence{"decide": v.Evidence, "nudge": n.Evidence} {
		perLabel := map[string]int{}
		for _, e := range ev {
			perLabel[e.Label]++
			// The first spans: none starts past twice the cap's worth of units.
			if e.Start > 2*forewarn.MaxEvidence*len(unit) {
				t.Errorf("%s: span %+v is not among the first", name, e)
			}
		}
		for label, k := range perLabel {
			if k > 2*forewarn.MaxEvidence {
				t.Errorf("%s: %d spans for %s, want at most %d", name, k, label, 2*forewarn.MaxEvidence)
			}
		}
		if len(perLabel) == 0 {
			t.Errorf("%s: no evidence", name)
		}
	}
}
