package topicmodel

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
)

// EvalTasks maps each evaluation of the training recipe alone to its data
// under the shared data folder: webis (the passages file, cross-validated
// by work), cssrs (the users file, cross-validated by user) and dreaddit
// (the folder of the official splits).
var EvalTasks = map[string]string{
	"webis":    WebisPath,
	"cssrs":    CSSRSPath,
	"dreaddit": filepath.Dir(DreadditPath),
}

// RunEval evaluates the recipe cfg on task (a key of EvalTasks) over data,
// the task's file or folder, and writes the report to w. For webis, the
// Dreaddit training split next to the passages' folder supplies ordinary
// posts, as in the trained model.
func RunEval(ctx context.Context, w io.Writer, task, data string, cfg Config, folds int, seed uint64) error {
	switch task {
	case "webis":
		texts, err := dataset.WebisPassages(data)
		if err != nil {
			return err
		}
		posts, err := dataset.Dreaddit(filepath.Join(filepath.Dir(filepath.Dir(data)), DreadditPath))
		if err != nil {
			return err
		}
		bg, err := Background(DreadditDocs(posts), dataset.DreadditTopics...)
		if err != nil {
			return err
		}
		r, err := EvalWebis(ctx, texts, bg, cfg, folds, seed)
		if err != nil {
			return err
		}
		return r.PrintMean(w)
	case "cssrs":
		users, err := dataset.CSSRS(data)
		if err != nil {
			return err
		}
		r, err := EvalCSSRS(ctx, users, cfg, folds, seed)
		if err != nil {
			return err
		}
		return r.Print(w)
	case "dreaddit":
		train, err := dataset.Dreaddit(filepath.Join(data, "dreaddit-train.csv"))
		if err != nil {
			return err
		}
		test, err := dataset.Dreaddit(filepath.Join(data, "dreaddit-test.csv"))
		if err != nil {
			return err
		}
		r, err := EvalDreaddit(ctx, train, test, cfg)
		if err != nil {
			return err
		}
		return r.Print(w)
	}
	return fmt.Errorf("unknown topic task %q", task)
}

// PrintMean prints the report and its mean accuracy over the warnings.
func (r Report) PrintMean(w io.Writer) error {
	if err := r.Print(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nmean accuracy over %d warnings: %.4f\n", len(r.Rows), r.MeanAccuracy())
	return err
}

// TrainCorpus trains the topic model on the datasets under dir (see
// LoadCorpus) with DefaultConfig; a seed of 0 keeps the recipe's.
func TrainCorpus(ctx context.Context, dir string, seed uint64) (*linear.Model, error) {
	c, err := LoadCorpus(dir)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg := DefaultConfig
	if seed != 0 {
		cfg.Train.Seed = seed
	}
	docs, err := c.Docs()
	if err != nil {
		return nil, err
	}
	return Train(docs, cfg)
}
