package detector

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/textseg"
	"github.com/forewarn/forewarn/topicmodel"
	"github.com/forewarn/forewarn/warn"
)

// WebisBudgets are the background budgets EvalBudgets tries: the largest
// share of the training part of the background corpora that one Webis
// label may warn on when the Webis labels decide like the others. 1% is
// the cap the recipe already puts on every label's out-of-fold
// probabilities; the smaller ones trade Webis recall for clean text.
var WebisBudgets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01}

// BackgroundCorpora returns the everyday corpora without labels of their
// own under the data folder dir, in the held-out part (held) or the
// training part of dataset.HeldOut: Brown outside fiction and press
// reportage, Brown's reportage and fiction apart, every man page, AG News
// by class.
func BackgroundCorpora(dir string, held bool) ([]Corpus, error) {
	brown, man, ag, err := topicmodel.LoadEveryday(dir)
	if err != nil {
		return nil, err
	}
	var out []Corpus
	add := func(name string, ps []dataset.Passage, keep func(dataset.Passage) bool) {
		c := Corpus{Name: name}
		for _, p := range ps {
			if dataset.HeldOut(p.Group) == held && keep(p) {
				c.Texts = append(c.Texts, p.Text)
			}
		}
		out = append(out, c)
	}
	add("brown (not fiction or reportage)", brown, func(p dataset.Passage) bool {
		return !dataset.BrownFiction(p.Domain) && p.Domain != dataset.BrownReportage
	})
	add("brown press: reportage", brown, func(p dataset.Passage) bool { return p.Domain == dataset.BrownReportage })
	add("brown fiction", brown, func(p dataset.Passage) bool { return dataset.BrownFiction(p.Domain) })
	add("debian-manpages", man, func(dataset.Passage) bool { return true })
	for _, class := range dataset.AGNewsClasses {
		add("ag-news "+class, ag, func(p dataset.Passage) bool { return p.Domain == class })
	}
	return out, nil
}

// maxScorer is a Scorer that keeps, per label, the largest passage
// probability it gave since max was last cleared.
type maxScorer struct {
	warn.Scorer
	max []float64
}

// Score implements warn.Scorer.
func (s *maxScorer) Score(toks []textseg.Token, ends []int, lexTopics []string, probs, sentP []float64, sentTok []int) {
	s.Scorer.Score(toks, ends, lexTopics, probs, sentP, sentTok)
	for l, p := range probs {
		s.max[l] = max(s.max[l], p)
	}
}

// newMaxScorer returns a detector on m whose scorer keeps the largest
// passage probabilities (maxScorer).
func newMaxScorer(m *linear.Model) (*warn.Detector, *maxScorer, error) {
	ms, err := warn.NewModelScorer(m)
	if err != nil {
		return nil, nil, err
	}
	s := &maxScorer{Scorer: ms, max: make([]float64, len(m.Labels))}
	d, err := warn.New(warn.Options{Scorer: s, LexiconDecides: lexiconDecides})
	return d, s, err
}

// maxProbs returns, per label of m, the largest probability the detector
// on m gives a passage of each text of corpora.
func maxProbs(ctx context.Context, m *linear.Model, corpora []Corpus) ([][]float64, error) {
	d, s, err := newMaxScorer(m)
	if err != nil {
		return nil, err
	}
	probs := make([][]float64, len(m.Labels))
	for _, c := range corpora {
		for _, t := range c.Texts {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			clear(s.max)
			d.Detect(t)
			for l, p := range s.max {
				probs[l] = append(probs[l], p)
			}
		}
	}
	return probs, nil
}

// budgetThresholds returns the thresholds of m with every Webis label's
// raised so that at most budget of the texts whose largest passage
// probabilities are probs (maxProbs) reach it.
func budgetThresholds(m *linear.Model, probs [][]float64, budget float64) []float64 {
	thr := slices.Clone(m.Thresholds)
	for l, id := range m.Labels {
		if !slices.Contains(topicmodel.WebisLabels(), id) || len(probs[l]) == 0 {
			continue
		}
		p := slices.Sorted(slices.Values(probs[l]))
		k := len(p) - 1 - int(budget*float64(len(p)))
		thr[l] = max(thr[l], p[max(k, 0)]+1e-9)
	}
	return thr
}

// decidingDetector returns the shipped detector on m with the thresholds
// thr, in which every label decides (warn.Options.ModelDecides), the
// Webis labels too.
func decidingDetector(m *linear.Model, thr []float64) (*warn.Detector, error) {
	m2 := *m
	m2.Thresholds = thr
	ms, err := warn.NewModelScorer(&m2)
	if err != nil {
		return nil, err
	}
	return warn.New(warn.Options{Scorer: ms, LexiconDecides: lexiconDecides, ModelDecides: m.Labels})
}

// BudgetRow is one way of deciding the Webis labels: the shipped one
// (Budget 0: their probability against the policy's min_score), or the
// model deciding them at thresholds raised to a background budget.
type BudgetRow struct {
	Budget float64
	// Webis is the detector end to end on the Webis folds, as EvalWebis.
	Webis topicmodel.Report
	// Train and Held are the shares of background texts with any
	// warning, training and held-out part, with the embedded model.
	Train, Held []EverydayRow
}

// Reach counts, for one Webis warning, the held-out passages whose
// largest passage probability of the warning's label reaches the label's
// threshold, and reaches the policy's min_score too (the shipped
// detector's bar for a Webis label), among its positives and negatives.
type Reach struct {
	Warning             string
	Pos, PosThr, PosMin int
	Neg, NegThr, NegMin int
	// Threshold is the label's threshold, the mean over the fold models,
	// and MinScore the default policy's min_score.
	Threshold, MinScore float64
}

// BudgetEval is the result of EvalBudgets.
type BudgetEval struct {
	Reach []Reach
	Rows  []BudgetRow
}

// EvalBudgets measures the trade-off between Webis accuracy and clean
// everyday text when the Webis labels decide like the others: for each
// budget of WebisBudgets, each fold's model (FoldModel, as EvalWebis)
// gets its Webis thresholds raised so that at most the budget of the
// training part of the background corpora reaches them (budgetThresholds,
// on that fold model's own probabilities), and reads its held-out Webis
// passages; then the embedded model, its thresholds raised the same way,
// reads the background corpora, training part (where a budget may be
// chosen) and held-out part (reported, never chosen on). The first row is
// the shipped detector.
func EvalBudgets(ctx context.Context, dir string, cfg topicmodel.Config, folds int, seed uint64, cache string) (BudgetEval, error) {
	r, err := evalBudgets(ctx, dir, cfg, folds, seed, cache)
	if err != nil {
		return BudgetEval{}, fmt.Errorf("webis budgets: %w", err)
	}
	return r, nil
}

func evalBudgets(ctx context.Context, dir string, cfg topicmodel.Config, folds int, seed uint64, cache string) (BudgetEval, error) {
	var out BudgetEval
	c, err := topicmodel.LoadCorpus(dir)
	if err != nil {
		return out, err
	}
	docs, err := c.Docs()
	if err != nil {
		return out, err
	}
	trainBG, err := BackgroundCorpora(dir, false)
	if err != nil {
		return out, err
	}
	heldBG, err := BackgroundCorpora(dir, true)
	if err != nil {
		return out, err
	}
	minScore := DefaultMinScore()
	out.Reach = make([]Reach, len(dataset.WebisWarnings))
	for w, name := range dataset.WebisWarnings {
		out.Reach[w] = Reach{Warning: name, MinScore: minScore}
	}
	groups := make([]string, len(c.Webis))
	for i, p := range c.Webis {
		groups[i] = p.Group
	}
	assign := topicmodel.GroupFolds(groups, folds, seed)
	budgets := append([]float64{0}, WebisBudgets...)
	counts := make([][]metrics.Confusion, len(budgets))
	for b := range counts {
		counts[b] = make([]metrics.Confusion, len(dataset.WebisWarnings))
	}
	detectors := func(m *linear.Model) ([]*warn.Detector, error) {
		probs, err := maxProbs(ctx, m, trainBG)
		if err != nil {
			return nil, err
		}
		var ds []*warn.Detector
		for _, b := range budgets {
			var d *warn.Detector
			if b == 0 {
				d, err = New(Options{Model: m})
			} else {
				d, err = decidingDetector(m, budgetThresholds(m, probs, b))
			}
			if err != nil {
				return nil, err
			}
			ds = append(ds, d)
		}
		return ds, nil
	}
	for k := range folds {
		m, err := FoldModel(outsideFold(docs, assign, k), cfg, cache)
		if err != nil {
			return out, fmt.Errorf("fold %d: %w", k, err)
		}
		ds, err := detectors(m)
		if err != nil {
			return out, fmt.Errorf("fold %d: %w", k, err)
		}
		md, ms, err := newMaxScorer(m)
		if err != nil {
			return out, err
		}
		for w, name := range dataset.WebisWarnings {
			out.Reach[w].Threshold += m.Thresholds[slices.Index(m.Labels, topicmodel.WebisTopic(name))] / float64(folds)
		}
		for i, p := range c.Webis {
			if assign[i] != k {
				continue
			}
			if err := ctx.Err(); err != nil {
				return out, err
			}
			w := slices.IndexFunc(p.Y, func(y int8) bool { return y != dataset.Unknown })
			topic := topicmodel.WebisTopic(dataset.WebisWarnings[w])
			l := slices.Index(m.Labels, topic)
			clear(ms.max)
			md.Detect(p.Text.Text)
			thr, pr, r := m.Thresholds[l], ms.max[l], &out.Reach[w]
			if p.Y[w] == 1 {
				r.Pos++
				r.PosThr += b2i(pr >= thr)
				r.PosMin += b2i(pr >= max(thr, minScore))
			} else {
				r.Neg++
				r.NegThr += b2i(pr >= thr)
				r.NegMin += b2i(pr >= max(thr, minScore))
			}
			for b, d := range ds {
				flagged := slices.ContainsFunc(d.Earning(d.Detect(p.Text.Text)), func(t forewarn.Topic) bool { return t.ID == topic })
				counts[b][w].Add(flagged, p.Y[w] == 1)
			}
		}
	}
	m, err := topicmodel.Default()
	if err != nil {
		return out, err
	}
	ds, err := detectors(m)
	if err != nil {
		return out, err
	}
	for b, budget := range budgets {
		r := BudgetRow{Budget: budget, Webis: topicmodel.Report{Title: fmt.Sprintf("budget %v", budget)}}
		for w, name := range dataset.WebisWarnings {
			r.Webis.Rows = append(r.Webis.Rows, topicmodel.LabelCounts{Name: name, Counts: counts[b][w]})
		}
		if r.Train, err = Everyday(ctx, ds[b], trainBG); err != nil {
			return out, err
		}
		if r.Held, err = Everyday(ctx, ds[b], heldBG); err != nil {
			return out, err
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DefaultMinScore returns the default policy's min_score, below which a
// Webis label's probability earns no warning in the shipped detector.
func DefaultMinScore() float64 {
	c, err := warn.DefaultConfig()
	if err != nil {
		return 0
	}
	return c.Policy.MinScore
}

// PrintBudgets writes e as four Markdown tables: how many Webis
// positives and negatives reach the threshold and the min_score, then per
// way of deciding the Webis accuracy per warning and their mean, and the
// share of background texts with any warning, training part and held-out
// part.
func PrintBudgets(w io.Writer, e BudgetEval) error {
	rows := e.Rows
	if len(rows) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString("| warning | mean threshold | positives | reach threshold | reach threshold and min_score | negatives | reach threshold | reach threshold and min_score |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range e.Reach {
		fmt.Fprintf(&sb, "| %s | %.3f | %d | %.3f | %.3f | %d | %.3f | %.3f |\n", r.Warning, r.Threshold, r.Pos, ratio(r.PosThr, r.Pos), ratio(r.PosMin, r.Pos), r.Neg, ratio(r.NegThr, r.Neg), ratio(r.NegMin, r.Neg))
	}
	sb.WriteString("\n")
	name := func(b float64) string {
		if b == 0 {
			return "shipped (probability against min_score)"
		}
		return fmt.Sprintf("model decides, budget %.2f%%", 100*b)
	}
	sb.WriteString("| Webis labels |")
	for _, l := range rows[0].Webis.Rows {
		sb.WriteString(" " + l.Name + " |")
	}
	sb.WriteString(" mean accuracy |\n|---|" + strings.Repeat("---:|", len(rows[0].Webis.Rows)+1) + "\n")
	for _, r := range rows {
		sb.WriteString("| " + name(r.Budget) + " |")
		for _, l := range r.Webis.Rows {
			fmt.Fprintf(&sb, " %.3f |", l.Counts.Accuracy())
		}
		fmt.Fprintf(&sb, " %.3f |\n", r.Webis.MeanAccuracy())
	}
	for _, part := range []string{"training", "held-out"} {
		sb.WriteString("\n| background, " + part + " part |")
		for _, e := range rows[0].Train {
			sb.WriteString(" " + e.Corpus + " |")
		}
		sb.WriteString("\n|---|" + strings.Repeat("---:|", len(rows[0].Train)) + "\n")
		for _, r := range rows {
			es := r.Train
			if part == "held-out" {
				es = r.Held
			}
			sb.WriteString("| " + name(r.Budget) + " |")
			for _, e := range es {
				fmt.Fprintf(&sb, " %.1f%% |", 100*e.Share())
			}
			sb.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
