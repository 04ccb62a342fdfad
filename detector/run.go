package detector

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/topicmodel"
)

// RunEval evaluates the shipped detector, on the topic model file at
// modelFile (empty: the embedded model), over the shared data folder
// data, and writes the report to w. Task "everyday" is the share of
// held-out everyday texts with any warning; "topics" is precision, recall
// and F1 per topic on held-out topic test splits, then, with webis, the
// Webis passages end to end, retrained per fold (the fold models kept in
// the folder cache when it is not empty, see FoldModel), and the nested
// estimate of the same folds' models (WebisEval.Inner). Task
// "webis-budgets" is the trade-off of EvalBudgets (on the embedded model
// whatever modelFile says).
func RunEval(ctx context.Context, w io.Writer, task, data, modelFile string, webis bool, folds int, seed uint64, cache string) error {
	o := Options{}
	if modelFile != "" {
		b, err := os.ReadFile(modelFile)
		if err != nil {
			return err
		}
		if o.Model, err = linear.Decode(b); err != nil {
			return err
		}
	}
	d, err := New(o)
	if err != nil {
		return err
	}
	switch task {
	case "everyday":
		cs, err := EverydayCorpora(data)
		if err != nil {
			return err
		}
		rows, err := Everyday(ctx, d, cs)
		if err != nil {
			return err
		}
		return PrintEveryday(w, rows)
	case "topics":
	case "webis-budgets":
		e, err := EvalBudgets(ctx, data, topicmodel.DefaultConfig, folds, seed, cache)
		if err != nil {
			return err
		}
		return PrintBudgets(w, e)
	default:
		return fmt.Errorf("unknown detector task %q", task)
	}
	sets, err := TopicSets(data)
	if err != nil {
		return err
	}
	rows, err := Topics(ctx, d, sets)
	if err != nil {
		return err
	}
	if err := PrintTopics(w, rows); err != nil || !webis {
		return err
	}
	c, err := topicmodel.LoadCorpus(data)
	if err != nil {
		return err
	}
	r, err := EvalWebis(ctx, c, topicmodel.DefaultConfig, folds, seed, cache)
	if err != nil {
		return err
	}
	for _, rep := range []topicmodel.Report{r.Outer, r.Inner} {
		fmt.Fprintln(w)
		if err := rep.PrintMean(w); err != nil {
			return err
		}
	}
	return nil
}
