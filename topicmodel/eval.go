package topicmodel

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
)

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// LabelCounts pairs a label with its confusion matrix.
type LabelCounts struct {
	Name   string
	Counts metrics.Confusion
}

// Report is a per-label evaluation table.
type Report struct {
	Title string
	Rows  []LabelCounts
}

// MeanAccuracy returns the unweighted mean of the rows' accuracies.
func (r Report) MeanAccuracy() float64 {
	var s float64
	for _, x := range r.Rows {
		s += x.Counts.Accuracy()
	}
	return s / float64(max(len(r.Rows), 1))
}

// MeanF1 returns the unweighted mean of the rows' F1.
func (r Report) MeanF1() float64 {
	var s float64
	for _, x := range r.Rows {
		s += x.Counts.F1()
	}
	return s / float64(max(len(r.Rows), 1))
}

// Print writes the report as a table.
func (r Report) Print(w io.Writer) error {
	fmt.Fprintf(w, "%s\n\n", r.Title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "label\tn\tpositive\tmajority\taccuracy\tF1\t")
	for _, x := range r.Rows {
		c := x.Counts
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", x.Name, c.N(), c.TP+c.FN, c.Majority(), c.Accuracy(), c.F1())
	}
	fmt.Fprintf(tw, "mean\t\t\t\t%.3f\t%.3f\t\n", r.MeanAccuracy(), r.MeanF1())
	return tw.Flush()
}

// predict adds the model's decisions on the examples at idx to counts,
// one per label.
func predict(f *fitted, e examples, idx []int, counts []metrics.Confusion) {
	m := f.Model
	z := make([]float64, len(Labels))
	for _, i := range idx {
		ex := &e.ex[i]
		m.MarginsOf(ex, z)
		for l, y := range ex.Y {
			if e.counts(i, l) {
				counts[l].Add(m.Prob(l, f.margin(e, i, l, z)) >= m.Thresholds[l], y == 1)
			}
		}
	}
}

// crossValidate decides each held-out fold of eachFold and returns the
// counts per label.
func crossValidate(ctx context.Context, e examples, n int, cfg Config, folds int, seed uint64) ([]metrics.Confusion, error) {
	counts := make([]metrics.Confusion, len(Labels))
	err := eachFold(ctx, e, n, cfg, folds, seed, func(f *fitted, test []int) { predict(f, e, test, counts) })
	return counts, err
}

// webisReport is the per-warning table of counts by label.
func webisReport(title string, counts []metrics.Confusion) Report {
	r := Report{Title: title}
	for _, w := range dataset.WebisWarnings {
		r.Rows = append(r.Rows, LabelCounts{Name: w + " (" + webisTopic[w] + ")", Counts: counts[slices.Index(Labels, webisTopic[w])]})
	}
	return r
}

// EvalWebis cross-validates the recipe on the Webis passages, grouped by
// work, and reports accuracy and F1 per warning with a passage positive
// when at least one annotator said yes. Background documents (see
// Background) join every training fold and are never scored.
func EvalWebis(ctx context.Context, texts []dataset.WebisPassage, background []Doc, cfg Config, folds int, seed uint64) (Report, error) {
	docs := append(WebisDocs(texts), background...)
	e, err := featurize(docs, cfg.Features, cfg.Balance, cfg.Evidence)
	if err != nil {
		return Report{}, err
	}
	counts, err := crossValidate(ctx, e, len(texts), cfg, folds, seed)
	if err != nil {
		return Report{}, err
	}
	return webisReport(fmt.Sprintf("Webis passages: %d-fold cross-validation by work, positive if at least one annotator said yes", folds), counts), nil
}

// InnerWebis is the model-selection score of a recipe on the Webis
// passages: for each of the outer folds of EvalWebis it fits the recipe
// on the training part and reports, per warning, the decisions on the
// inner folds' out-of-fold margins of the judged passages (not the
// background), summed over the outer folds; a stacked label's stack is
// itself fitted on the other inner folds (fitted.innerConfusion). The
// held-out folds are never scored, so recipes can be compared on this
// without spending the outer estimate.
func InnerWebis(ctx context.Context, texts []dataset.WebisPassage, background []Doc, cfg Config, folds int, seed uint64) (Report, error) {
	docs := append(WebisDocs(texts), background...)
	e, err := featurize(docs, cfg.Features, cfg.Balance, cfg.Evidence)
	if err != nil {
		return Report{}, err
	}
	counts := make([]metrics.Confusion, len(Labels))
	err = eachFold(ctx, e, len(texts), cfg, folds, seed, func(f *fitted, _ []int) {
		for l := range Labels {
			c := f.innerConfusion(l)
			counts[l].TP, counts[l].FP, counts[l].TN, counts[l].FN = counts[l].TP+c.TP, counts[l].FP+c.FP, counts[l].TN+c.TN, counts[l].FN+c.FN
		}
	})
	if err != nil {
		return Report{}, err
	}
	return webisReport(fmt.Sprintf("Webis passages: inner out-of-fold decisions within the training part of each of %d outer folds", folds), counts), nil
}

// CSSRSReport is the suicide signal on the reddit C-SSRS users.
type CSSRSReport struct {
	Folds int
	// Levels counts, per level, the users and how many were flagged for
	// suicide or self-harm.
	Levels []LevelCount
}

// LevelCount is how many users of a level there were and were flagged.
type LevelCount struct {
	Level          string
	Users, Flagged int
}

// share returns the flagged share of the levels for which at is true.
func (r CSSRSReport) share(at func(string) bool) (flagged, users int) {
	for _, c := range r.Levels {
		if at(c.Level) {
			flagged += c.Flagged
			users += c.Users
		}
	}
	return flagged, users
}

// Recall returns the share of Ideation, Behavior and Attempt users flagged.
func (r CSSRSReport) Recall() float64 {
	return ratio(r.share(func(l string) bool { return dataset.CSSRSUser{Level: l}.AtRisk() }))
}

// SupportiveFlagged returns the share of Supportive users flagged.
func (r CSSRSReport) SupportiveFlagged() float64 {
	return ratio(r.share(func(l string) bool { return l == "Supportive" }))
}

// Print writes the report as a table.
func (r CSSRSReport) Print(w io.Writer) error {
	fmt.Fprintf(w, "reddit C-SSRS: %d-fold cross-validation by user, flagged = suicide or self-harm\n\n", r.Folds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "level\tusers\tflagged\tshare\t")
	for _, c := range r.Levels {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t\n", c.Level, c.Users, c.Flagged, ratio(c.Flagged, c.Users))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nrecall (Ideation, Behavior, Attempt): %.3f\nSupportive users flagged: %.3f\n", r.Recall(), r.SupportiveFlagged())
	return err
}

// EvalCSSRS cross-validates the suicide signal by user: each fold's model
// learns from the other folds' users (and the other datasets, which do not
// touch the suicide labels) and decides the held-out users.
func EvalCSSRS(ctx context.Context, users []dataset.CSSRSUser, cfg Config, folds int, seed uint64) (CSSRSReport, error) {
	if folds < 2 {
		return CSSRSReport{}, fmt.Errorf("%d folds: want at least 2", folds)
	}
	docs := UserDocs(users)
	e, err := featurize(docs, cfg.Features, cfg.Balance)
	if err != nil {
		return CSSRSReport{}, err
	}
	r := CSSRSReport{Folds: folds}
	for _, l := range dataset.CSSRSLevels {
		r.Levels = append(r.Levels, LevelCount{Level: l})
	}
	sui, sh := slices.Index(Labels, "suicide"), slices.Index(Labels, "self-harm")
	z := make([]float64, len(Labels))
	err = eachFold(ctx, e, len(e.ex), cfg, folds, seed, func(m *fitted, test []int) {
		for _, i := range test {
			m.MarginsOf(&e.ex[i], z)
			flagged := m.Prob(sui, z[sui]) >= m.Thresholds[sui] || m.Prob(sh, z[sh]) >= m.Thresholds[sh]
			c := &r.Levels[slices.Index(dataset.CSSRSLevels, users[i].Level)]
			c.Users++
			if flagged {
				c.Flagged++
			}
		}
	})
	if err != nil {
		return CSSRSReport{}, err
	}
	return r, nil
}

// EvalDreaddit trains on the official Dreaddit training split and reports
// topic accuracy on its test split, over the labels each subreddit settles.
func EvalDreaddit(ctx context.Context, train, test []dataset.Text, cfg Config) (Report, error) {
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	tr, err := featurize(DreadditDocs(train), cfg.Features, cfg.Balance)
	if err != nil {
		return Report{}, err
	}
	m, err := fit(tr, cfg)
	if err != nil {
		return Report{}, err
	}
	e, err := featurize(DreadditDocs(test), m.Features, false)
	if err != nil {
		return Report{}, err
	}
	counts := make([]metrics.Confusion, len(Labels))
	idx := make([]int, len(e.ex))
	for i := range idx {
		idx[i] = i
	}
	predict(m, e, idx, counts)
	r := Report{Title: "Dreaddit: trained on the official training split, scored on the test split (topic = subreddit)"}
	for _, t := range dataset.DreadditTopics {
		r.Rows = append(r.Rows, LabelCounts{Name: t, Counts: counts[slices.Index(Labels, t)]})
	}
	return r, nil
}

// innerNote is the prefix of the model notes in which Train records a
// label's inner out-of-fold decisions (fitted.innerConfusion) as "TP FP
// TN FN".
const innerNote = "inner-oof:"

// innerConfusion returns label l's decisions on the inner folds'
// out-of-fold margins of the documents whose source judged it (the
// Webis passages for a Webis label, not the background negatives), at the
// label's threshold; a stacked label's probability is its stack's fitted
// on the other inner folds, so the figure does not reward a stack for
// fitting its own rows.
func (f *fitted) innerConfusion(l int) metrics.Confusion {
	var c metrics.Confusion
	for i, z := range f.oof[l] {
		if !f.oofJudged[l][i] {
			continue
		}
		p := f.Prob(l, z)
		if f.inner[l] != nil {
			p = f.inner[l][i]
		}
		c.Add(p >= f.Thresholds[l], f.oofY[l][i] == 1)
	}
	return c
}

// noteInner records every label's innerConfusion in the model's notes.
func (f *fitted) noteInner() {
	if f.Notes == nil {
		f.Notes = map[string]string{}
	}
	for l, name := range Labels {
		if c := f.innerConfusion(l); c.N() > 0 {
			f.Notes[innerNote+name] = fmt.Sprintf("%d %d %d %d", c.TP, c.FP, c.TN, c.FN)
		}
	}
}

// InnerConfusion returns the inner out-of-fold decisions on label that
// Train recorded in m: decisions on documents of the training data that
// no model deciding them was trained on, so a model trained on the
// training part of an outer fold gives a nested estimate. ok is false when
// m holds none for the label.
func InnerConfusion(m *linear.Model, label string) (c metrics.Confusion, ok bool) {
	v, found := m.Notes[innerNote+label]
	if !found {
		return c, false
	}
	_, err := fmt.Sscanf(v, "%d %d %d %d", &c.TP, &c.FP, &c.TN, &c.FN)
	return c, err == nil
}
