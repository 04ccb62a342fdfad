package comment

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"

	"github.com/forewarn/forewarn/dataset"
)

// LoadFile returns the classifier on the model file at path, or on the
// embedded model when path is empty.
func LoadFile(path string) (*Classifier, error) {
	if path == "" {
		return Default()
	}
	return Load(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

// EvalOLID scores c on the official OLID test sets in dir: level A as
// "offensive" and level B as "targeted". It returns one report per label
// the model has of those two.
func EvalOLID(c *Classifier, dir string) ([]LabelReport, error) {
	var reports []LabelReport
	for _, level := range []string{"a", "b"} {
		texts, err := dataset.OLIDTest(dir, level)
		if err != nil {
			return nil, err
		}
		reports = append(reports, Evaluate(c, Remap(texts, dataset.CommentLabels, c.Labels()))...)
	}
	return reports, nil
}

// WriteReport writes per-label figures as a table.
func WriteReport(w io.Writer, report []LabelReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "label\tset\tn\tpositives\tthreshold\tprecision\trecall\tF1\tmacro-F1\tROC-AUC\tAUPRC\t")
	for _, l := range report {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n",
			l.Label, l.Set, l.N, l.Positives, l.Threshold, l.Precision, l.Recall, l.F1, l.MacroF1, l.ROCAUC, l.AUPRC)
	}
	return tw.Flush()
}

// labelBit returns the flag bit of the label name in c, or 0 when c has
// no such label.
func labelBit(c *Classifier, name string) uint64 {
	for l, n := range c.Labels() {
		if n == name {
			return 1 << l
		}
	}
	return 0
}

// Rustrict is how the disguised-spelling cases fare: positives should be
// flagged offensive; negatives and safe texts should not.
type Rustrict struct {
	Positives, PositivesFlagged int
	Clean, CleanPassed          int
}

// EvalRustrict runs c on the test files of the rustrict cases in dir.
func EvalRustrict(c *Classifier, dir string) (Rustrict, error) {
	off := labelBit(c, "offensive")
	if off == 0 {
		return Rustrict{}, fmt.Errorf("model has no offensive label")
	}
	probs := make([]float64, len(c.Labels()))
	var r Rustrict
	for _, f := range []struct {
		name     string
		positive bool
	}{{"test_positive.txt", true}, {"test_negative.txt", false}, {"test_safe.txt", false}} {
		lines, err := dataset.Lines(filepath.Join(dir, f.name))
		if err != nil {
			return Rustrict{}, err
		}
		for _, l := range lines {
			flagged, _ := c.Explain(l, probs, nil)
			hit := flagged&off != 0
			if f.positive {
				r.Positives++
				if hit {
					r.PositivesFlagged++
				}
			} else {
				r.Clean++
				if !hit {
					r.CleanPassed++
				}
			}
		}
	}
	return r, nil
}

// Write prints the two rates.
func (r Rustrict) Write(w io.Writer) error {
	fmt.Fprintf(w, "positives flagged offensive:      %d/%d = %.3f\n", r.PositivesFlagged, r.Positives, float64(r.PositivesFlagged)/float64(r.Positives))
	_, err := fmt.Fprintf(w, "negatives and safe not flagged:   %d/%d = %.3f\n", r.CleanPassed, r.Clean, float64(r.CleanPassed)/float64(r.Clean))
	return err
}

// FairnessRow counts, for one identity (or "all"), the fairness sentences
// and how many of them were flagged hate and offensive.
type FairnessRow struct {
	Identity           string
	N, Hate, Offensive int
}

// HateRate is the share of the sentences flagged hate.
func (r FairnessRow) HateRate() float64 { return float64(r.Hate) / float64(max(r.N, 1)) }

// Fairness is the fairness check: one row per identity in name order,
// then "all", and the sentences flagged hate.
type Fairness struct {
	Rows        []FairnessRow
	FlaggedHate []string
}

// Gap is the widest difference in hate rate between two identities.
func (f Fairness) Gap() float64 {
	lo, hi := 1.0, 0.0
	for _, r := range f.Rows {
		if r.Identity != "all" {
			lo, hi = min(lo, r.HateRate()), max(hi, r.HateRate())
		}
	}
	return max(hi-lo, 0)
}

// All is the row over every identity.
func (f Fairness) All() FairnessRow { return f.Rows[len(f.Rows)-1] }

// EvalFairness runs c on FairnessCases: sentences that name an identity
// without attacking it, none of which should be flagged hate.
func EvalFairness(c *Classifier) Fairness {
	hate, off := labelBit(c, "hate"), labelBit(c, "offensive")
	by := map[string]*FairnessRow{}
	total := FairnessRow{Identity: "all"}
	var f Fairness
	probs := make([]float64, len(c.Labels()))
	for _, fc := range FairnessCases {
		k := by[fc.Identity]
		if k == nil {
			k = &FairnessRow{Identity: fc.Identity}
			by[fc.Identity] = k
		}
		flagged, _ := c.Explain(fc.Text, probs, nil)
		k.N++
		total.N++
		if flagged&hate != 0 {
			k.Hate++
			total.Hate++
			f.FlaggedHate = append(f.FlaggedHate, fc.Text)
		}
		if flagged&off != 0 {
			k.Offensive++
			total.Offensive++
		}
	}
	for _, k := range by {
		f.Rows = append(f.Rows, *k)
	}
	sort.Slice(f.Rows, func(i, j int) bool { return f.Rows[i].Identity < f.Rows[j].Identity })
	f.Rows = append(f.Rows, total)
	return f
}

// Write prints the sentences flagged hate and the table.
func (f Fairness) Write(w io.Writer) error {
	for _, t := range f.FlaggedHate {
		fmt.Fprintf(w, "flagged hate: %q\n", t)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "identity\tsentences\tflagged hate\thate rate\tflagged offensive\t")
	for _, k := range f.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%d\t\n", k.Identity, k.N, k.Hate, k.HateRate(), k.Offensive)
	}
	return tw.Flush()
}

// EvalTasks maps each evaluation of the comment model to its folder under
// the shared data folder: olid (OLID's official test sets, levels A and
// B), rustrict (disguised spellings) and fairness (written sentences that
// name identities without attacking them; it needs no data).
var EvalTasks = map[string]string{"olid": "olid", "rustrict": "rustrict-cases", "fairness": ""}

// RunEval runs the evaluation task of EvalTasks on c over the folder dir
// and writes its report to w.
func RunEval(w io.Writer, c *Classifier, task, dir string) error {
	switch task {
	case "olid":
		reports, err := EvalOLID(c, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "OLID official test sets (%s): level A -> offensive, level B -> targeted\n", dir)
		WriteReport(w, reports)
		for _, r := range reports {
			if r.Label == "offensive" {
				fmt.Fprintf(w, "\nOffensEval sub-task A macro-F1: %.4f\n", r.MacroF1)
			}
		}
		return nil
	case "rustrict":
		r, err := EvalRustrict(c, dir)
		if err != nil {
			return err
		}
		return r.Write(w)
	case "fairness":
		return EvalFairness(c).Write(w)
	}
	return fmt.Errorf("unknown comment task %q", task)
}

// WriteTrained writes what training says beside the model: the
// out-of-fold figures on the training parts, how the network was blended
// into its heads, and the moderation thresholds chosen on the out-of-fold
// scores, as the "thresholds" object of a moderation policy
// (moderate/policy.json).
func WriteTrained(w io.Writer, t *Trained) error {
	oof := t.OOF
	fmt.Fprintln(w, "out-of-fold figures on the training parts (\"all\": every source that carries the label):")
	WriteReport(w, t.Reports)
	for _, b := range t.Blends {
		fmt.Fprintf(w, "\nnetwork blended into %s: share %.1f (margin weight %.4g), chosen on %s out-of-fold macro-F1 / ROC-AUC:\n", b.Head, b.Share, b.Weight, b.Benchmark)
		for k, s := range blendShares {
			fmt.Fprintf(w, "  share %.1f: %.3f / %.3f\n", s, b.MacroF1[k], b.ROCAUC[k])
		}
	}
	fmt.Fprintln(w, "\nmoderation thresholds chosen on the out-of-fold scores (see docs/moderation.md):")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Neutral   map[string]float64 `json:"neutral"`
		Sensitive map[string]float64 `json:"sensitive"`
	}{oof.Neutral, oof.Sensitive})
}
