package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"text/tabwriter"

	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/moderate"
)

var evalCommand = command{
	name:    "eval",
	summary: "evaluate a model: precision, recall, F1, macro-F1, ROC-AUC, AUPRC",
	run:     runEval,
}

func runEval(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("eval", "[--model PATH] [--task TASK] --data PATH", `  forewarn eval --data ../shared/data/olid
  forewarn eval --task rustrict --data ../shared/data/rustrict-cases
  forewarn eval --task fairness
  forewarn eval --task webis --data ../shared/data/webis-passages/train.jsonl
  forewarn eval --task webis --stack-comments
  forewarn eval --task moderate --data ../shared/data

Tasks:
  moderate  the moderator's heads and decisions on the public test splits
            (EDOS, OLID A and B, Latent Hatred and Stormfront hash splits,
            toxic spans SemEval, SDCNL, GoEmotions) and the team-written
            frozen test part (--team); --data is the shared data folder
  olid      OLID's official test sets: level A (offensive) and B (targeted)
  rustrict  disguised spellings: positives flagged offensive, negatives and safe ones not
  fairness  sentences that name identities without attacking them: false hate flags
  webis, cssrs, dreaddit  the topic model's recipe alone (see "forewarn help warn")
  everyday  the shipped detector on held-out everyday text: share with any warning, per corpus and topic
  topics    the shipped detector on held-out topic test splits (precision, recall, F1 per topic),
            and on the Webis passages end to end, retrained per fold (skip with --webis=false)
`)
	model := fs.String("model", "", "comment model `file` (default: the embedded model); with --stack-comments, the one stacked")
	task := fs.String("task", "olid", "what to evaluate")
	data := fs.String("data", "", "dataset `path` for the task")
	folds := fs.Int("folds", 5, "cross-validation folds (topic tasks)")
	seed := fs.Uint64("seed", 1, "cross-validation seed (topic tasks)")
	policy := fs.String("policy", "", "moderate: policy `file` (default: the built-in policy)")
	team := fs.String("team", "data/comments/test.jsonl", "moderate: team-written test `file` (empty skips it)")
	topicModel := fs.String("topic-model", "", "everyday, topics: topic model `file` to evaluate (default: the embedded model)")
	webis := fs.Bool("webis", true, "topics: also run the Webis end-to-end cross-validation (retrains the topic model once per fold)")
	stack := fs.Bool("stack-comments", false, "webis: stack the comment model's scores into each warning (a recipe under evaluation, not the embedded model's)")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *stack && *task != "webis" {
		return fmt.Errorf("eval: --stack-comments is for --task webis, not %q", *task)
	}
	switch *task {
	case "moderate":
		if *data == "" {
			*data = "../shared/data"
		}
		_, mod, err := loadEngine(*model, *policy)
		if err != nil {
			return err
		}
		r, err := moderate.EvaluateModeration(mod, *data, *team)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		return r.Write(m.Stdout)
	case "olid", "rustrict", "fairness":
	case "everyday", "topics":
		return evalDetector(ctx, m, *task, *data, *topicModel, *webis, *folds, *seed)
	case "webis", "cssrs", "dreaddit":
		return evalTopics(ctx, m, topicEval{task: *task, data: *data, folds: *folds, seed: *seed, stackComments: *stack, model: *model})
	default:
		return fmt.Errorf("eval: unknown task %q (want moderate, olid, rustrict, fairness, webis, cssrs, dreaddit)", *task)
	}
	c, err := loadClassifier(*model)
	if err != nil {
		return err
	}
	switch *task {
	case "olid":
		if *data == "" {
			*data = "../shared/data/olid"
		}
		return evalOLID(m, c, *data)
	case "rustrict":
		if *data == "" {
			*data = "../shared/data/rustrict-cases"
		}
		return evalRustrict(m, c, *data)
	default:
		return evalFairness(m, c)
	}
}

// evalOLID scores the official OLID test sets of levels A and B.
func evalOLID(m *Main, c *comment.Classifier, dir string) error {
	var reports []comment.LabelReport
	ex, err := features.NewExtractor(c.Model().Features)
	if err != nil {
		return err
	}
	for _, level := range []string{"a", "b"} {
		texts, err := dataset.OLIDTest(dir, level)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		reports = append(reports, comment.Evaluate(c.Model(), comment.Examples(ex, comment.Remap(texts, dataset.CommentLabels, c.Labels())))...)
	}
	fmt.Fprintf(m.Stdout, "OLID official test sets (%s): level A -> offensive, level B -> targeted\n", dir)
	printReport(m.Stdout, reports)
	for _, r := range reports {
		if r.Label == "offensive" {
			fmt.Fprintf(m.Stdout, "\nOffensEval sub-task A macro-F1: %.4f\n", r.MacroF1)
		}
	}
	return nil
}

// evalRustrict reports how many disguised profanities are flagged
// offensive and how many clean texts are left alone.
func evalRustrict(m *Main, c *comment.Classifier, dir string) error {
	probs := make([]float64, len(c.Labels()))
	rate := func(name string) (flagged, n int, err error) {
		lines, err := dataset.Lines(filepath.Join(dir, name))
		if err != nil {
			return 0, 0, fmt.Errorf("eval: %w", err)
		}
		for _, l := range lines {
			if f, _ := c.Explain(l, probs, nil); f&1 != 0 {
				flagged++
			}
		}
		return flagged, len(lines), nil
	}
	pos, npos, err := rate("test_positive.txt")
	if err != nil {
		return err
	}
	neg, nneg, err := rate("test_negative.txt")
	if err != nil {
		return err
	}
	safe, nsafe, err := rate("test_safe.txt")
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "positives flagged offensive:      %d/%d = %.3f\n", pos, npos, float64(pos)/float64(npos))
	fmt.Fprintf(m.Stdout, "negatives and safe not flagged:   %d/%d = %.3f\n", nneg+nsafe-neg-safe, nneg+nsafe, float64(nneg+nsafe-neg-safe)/float64(nneg+nsafe))
	return nil
}

// evalFairness reports, per identity, how many written sentences that name
// it without attacking it are flagged hate (or offensive).
func evalFairness(m *Main, c *comment.Classifier) error {
	type count struct{ n, hate, offensive int }
	by := map[string]*count{}
	probs := make([]float64, len(c.Labels()))
	hateBit, offBit := uint64(0), uint64(0)
	for l, name := range c.Labels() {
		switch name {
		case "hate":
			hateBit = 1 << l
		case "offensive":
			offBit = 1 << l
		}
	}
	var total count
	for _, fc := range comment.FairnessCases {
		k := by[fc.Identity]
		if k == nil {
			k = &count{}
			by[fc.Identity] = k
		}
		f, _ := c.Explain(fc.Text, probs, nil)
		k.n++
		total.n++
		if f&hateBit != 0 {
			k.hate++
			total.hate++
			fmt.Fprintf(m.Stdout, "flagged hate: %q\n", fc.Text)
		}
		if f&offBit != 0 {
			k.offensive++
			total.offensive++
		}
	}
	ids := make([]string, 0, len(by))
	for id := range by {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "identity\tsentences\tflagged hate\thate rate\tflagged offensive\t")
	for _, id := range append(ids, "all") {
		k := by[id]
		if id == "all" {
			k = &total
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%d\t\n", id, k.n, k.hate, float64(k.hate)/float64(k.n), k.offensive)
	}
	return tw.Flush()
}
