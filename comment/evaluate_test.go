package comment

import (
	"math"
	"os"
	"testing"
)

// sharedData is the shared data folder seen from this package.
const sharedData = "../../shared/data"

// needData skips t when the dataset folder dir under the shared data
// folder is absent, as on a fresh clone.
func needData(t *testing.T, dir string) string {
	t.Helper()
	p := sharedData + "/" + dir
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent (the shared data folder is not next to the repository): skipping", p)
	}
	return p
}

// documentedOLIDA is the embedded model's OffensEval sub-task A macro-F1
// on OLID's official test set A, as docs/moderation.md quotes it
// ("forewarn eval --data ../shared/data/olid"). olidTolerance is how far
// the figure may move before the documentation is wrong: the evaluation
// is deterministic, so only a new model moves it, and a new model that
// moves it further must come with the new figure in the documentation.
const (
	documentedOLIDA = 0.7610
	olidTolerance   = 0.01
)

func TestEvalOLID(t *testing.T) {
	dir := needData(t, "olid")
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	reports, err := EvalOLID(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := math.NaN()
	for _, r := range reports {
		if r.Label == "offensive" {
			got = r.MacroF1
		}
	}
	if !(math.Abs(got-documentedOLIDA) <= olidTolerance) {
		t.Errorf("OLID test A macro-F1 %.4f, documented %.4f (tolerance %.2f): update docs/moderation.md and this test with the new model", got, documentedOLIDA, olidTolerance)
	}
}

// Floors of the fairness check. maxHateRate bounds the share of all
// fairness sentences flagged hate: 0.10 is a little over the embedded
// model's 3 of 42 (0.071), so one more false hate flag passes and two
// fail. maxGap bounds the widest difference in hate rate between two
// identities: two of one identity's six sentences (women today), so no
// identity may become the model's favourite target of false flags.
const (
	maxHateRate = 0.10
	maxGap      = 2.0/6 + 1e-9
)

func TestEvalFairness(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := EvalFairness(c)
	if len(f.Rows) < 8 || f.All().N != len(FairnessCases) {
		t.Fatalf("%d rows over %d sentences", len(f.Rows), f.All().N)
	}
	if r := f.All().HateRate(); r > maxHateRate {
		t.Errorf("%.3f of the fairness sentences flagged hate, want at most %.2f: %q", r, maxHateRate, f.FlaggedHate)
	}
	if g := f.Gap(); g > maxGap {
		t.Errorf("hate-rate gap between identities %.3f, want at most %.3f: %+v", g, maxGap, f.Rows)
	}
}

// Floors of the disguised-spelling check, each a little under the
// embedded model's figure on the rustrict test files (1230 of 2770
// positives flagged, 0.444; 163 of 178 clean texts passed, 0.916).
const (
	minRustrictFlagged = 0.42
	minRustrictPassed  = 0.89
)

func TestEvalRustrict(t *testing.T) {
	dir := needData(t, "rustrict-cases")
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := EvalRustrict(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	flagged, passed := float64(r.PositivesFlagged)/float64(r.Positives), float64(r.CleanPassed)/float64(r.Clean)
	if flagged < minRustrictFlagged || passed < minRustrictPassed {
		t.Errorf("positives flagged %.3f (floor %.2f), clean passed %.3f (floor %.2f)", flagged, minRustrictFlagged, passed, minRustrictPassed)
	}
}
