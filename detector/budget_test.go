package detector

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/topicmodel"
)

// TestBudgetThresholds checks that a Webis label's threshold rises until
// no more than the budget of the background texts reach it, never falls,
// and that the other labels keep theirs.
func TestBudgetThresholds(t *testing.T) {
	m, err := topicmodel.Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"The committee approved the budget for the new library on Tuesday.",
		"Use kill -9 to end the child process; the parent then reaps it.",
		"The soldiers shelled the village at dawn, and the wounded lay in the square until the medics came in the afternoon. Nobody counted the dead, and the survivors buried them behind the church before the next attack.",
		"He beat the prisoner until the man stopped moving, then dragged the body to the river.",
	}
	probs, err := maxProbs(context.Background(), m, []Corpus{{Name: "bg", Texts: texts}})
	if err != nil {
		t.Fatal(err)
	}
	for _, budget := range []float64{0, 0.25, 0.5} {
		thr := budgetThresholds(m, probs, budget)
		for l, id := range m.Labels {
			if !slices.Contains(topicmodel.WebisLabels(), id) {
				if thr[l] != m.Thresholds[l] {
					t.Errorf("budget %v: %s threshold moved from %v to %v", budget, id, m.Thresholds[l], thr[l])
				}
				continue
			}
			if thr[l] < m.Thresholds[l] {
				t.Errorf("budget %v: %s threshold fell from %v to %v", budget, id, m.Thresholds[l], thr[l])
			}
			n := 0
			for _, p := range probs[l] {
				if p >= thr[l] {
					n++
				}
			}
			if float64(n) > budget*float64(len(texts)) {
				t.Errorf("budget %v: %d of %d texts reach %s's threshold %v", budget, n, len(texts), id, thr[l])
			}
		}
	}
	// With no budget, the deciding detector warns of no Webis topic on
	// these texts (each long enough for the model to decide, see
	// warn's shortText).
	d, err := decidingDetector(m, budgetThresholds(m, probs, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		for _, tp := range d.Earning(d.Detect(text)) {
			if slices.Contains(topicmodel.WebisLabels(), tp.ID) {
				t.Errorf("%q: %s at budget 0", text, tp.ID)
			}
		}
	}
}

func TestPrintBudgets(t *testing.T) {
	rows := []BudgetRow{
		{Budget: 0, Webis: topicmodel.Report{Rows: []topicmodel.LabelCounts{{Name: "war", Counts: metrics.Confusion{TP: 1, TN: 1, FP: 1, FN: 1}}}},
			Train: []EverydayRow{{Corpus: "c", Texts: 10, Warned: 1}}, Held: []EverydayRow{{Corpus: "c", Texts: 4, Warned: 1}}},
		{Budget: 0.005, Webis: topicmodel.Report{Rows: []topicmodel.LabelCounts{{Name: "war", Counts: metrics.Confusion{TP: 3, FN: 1}}}},
			Train: []EverydayRow{{Corpus: "c", Texts: 10, Warned: 2}}, Held: []EverydayRow{{Corpus: "c", Texts: 4, Warned: 2}}},
	}
	var buf bytes.Buffer
	reach := []Reach{{Warning: "war", Pos: 4, PosThr: 3, PosMin: 1, Neg: 2, NegThr: 1}}
	if err := PrintBudgets(&buf, BudgetEval{Reach: reach, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| war | 0.000 | 4 | 0.750 | 0.250 | 2 | 0.500 | 0.000 |",
		"| shipped (probability against min_score) | 0.500 | 0.500 |",
		"| model decides, budget 0.50% | 0.750 | 0.750 |",
		"| background, training part | c |",
		"| model decides, budget 0.50% | 20.0% |",
		"| model decides, budget 0.50% | 50.0% |",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}
