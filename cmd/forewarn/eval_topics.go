package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/topicmodel"
)

// topicTasks are the eval tasks of the topic model, with their default data.
var topicTasks = map[string]string{
	"webis":    "../shared/data/" + topicmodel.WebisPath,
	"cssrs":    "../shared/data/" + topicmodel.CSSRSPath,
	"dreaddit": "../shared/data/dreaddit",
}

// topicEval is what `forewarn eval` asks of the topic models.
type topicEval struct {
	task, data string
	folds      int
	seed       uint64
	// stackComments adds the scores of the comment model at model (the
	// embedded one when empty) to the Webis stack.
	stackComments bool
	model         string
}

// evalTopics evaluates the topic model's training recipe on e.task: webis
// (the passages file, cross-validated by work), cssrs (the users file,
// cross-validated by user) or dreaddit (the folder of the official splits).
func evalTopics(ctx context.Context, m *Main, e topicEval) error {
	task, data, folds, seed := e.task, e.data, e.folds, e.seed
	def, ok := topicTasks[task]
	if !ok {
		return fmt.Errorf("eval: unknown topic task %q", task)
	}
	if data == "" {
		data = def
	}
	cfg := topicmodel.DefaultConfig
	if e.stackComments {
		c, err := loadClassifier(e.model)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		cfg.Evidence = topicmodel.CommentEvidence(c)
	}
	switch task {
	case "webis":
		texts, err := dataset.WebisPassages(data)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		// Ordinary posts from the Dreaddit training split teach what text
		// without the warnings looks like, as in the trained model.
		posts, err := dataset.Dreaddit(filepath.Join(filepath.Dir(filepath.Dir(data)), topicmodel.DreadditPath))
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		bg, err := topicmodel.Background(topicmodel.DreadditDocs(posts), dataset.DreadditTopics...)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		r, err := topicmodel.EvalWebis(ctx, texts, bg, cfg, folds, seed)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		if err := r.Print(m.Stdout); err != nil {
			return err
		}
		_, err = fmt.Fprintf(m.Stdout, "\nmean accuracy over %d warnings: %.4f\n", len(r.Rows), r.MeanAccuracy())
		return err
	case "cssrs":
		users, err := dataset.CSSRS(data)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		r, err := topicmodel.EvalCSSRS(ctx, users, cfg, folds, seed)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		return r.Print(m.Stdout)
	default:
		train, err := dataset.Dreaddit(filepath.Join(data, "dreaddit-train.csv"))
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		test, err := dataset.Dreaddit(filepath.Join(data, "dreaddit-test.csv"))
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		r, err := topicmodel.EvalDreaddit(ctx, train, test, cfg)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		return r.Print(m.Stdout)
	}
}

// evalDetector evaluates the shipped detector (on the topic model file at
// modelFile, or the embedded one) on task everyday or topics over the
// data folder data.
func evalDetector(ctx context.Context, m *Main, task, data, modelFile string, webis bool, folds int, seed uint64) error {
	if data == "" {
		data = "../shared/data"
	}
	o := detector.Options{}
	if modelFile != "" {
		b, err := os.ReadFile(modelFile)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		if o.Model, err = linear.Decode(b); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	d, err := detector.New(o)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if task == "everyday" {
		cs, err := detector.EverydayCorpora(data)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		rows, err := detector.Everyday(ctx, d, cs)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		return detector.PrintEveryday(m.Stdout, rows)
	}
	sets, err := detector.TopicSets(data)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	rows, err := detector.Topics(ctx, d, sets)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if err := detector.PrintTopics(m.Stdout, rows); err != nil || !webis {
		return err
	}
	c, err := topicmodel.LoadCorpus(data)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	r, err := detector.EvalWebis(ctx, c, topicmodel.DefaultConfig, folds, seed)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	fmt.Fprintln(m.Stdout)
	if err := r.Print(m.Stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(m.Stdout, "\nmean accuracy over %d warnings: %.4f\n", len(r.Rows), r.MeanAccuracy())
	return err
}
