package main

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"

	"github.com/forewarn/forewarn/cli"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/topicmodel"
)

var evalCommand = cli.Command{
	Name:    "eval",
	Summary: "evaluate a model: precision, recall, F1, macro-F1, ROC-AUC, AUPRC",
	Run:     runEval,
}

func runEval(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("eval", "[--model PATH] [--task TASK] --data PATH", `  forewarn eval --data ../shared/data/olid
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
  rules     each category of the built-in phrase patterns against public
            training data it was not written from (see docs/moderation.md)
  olid      OLID's official test sets: level A (offensive) and B (targeted)
  rustrict  disguised spellings: positives flagged offensive, negatives and safe ones not
  fairness  sentences that name identities without attacking them: false hate flags
  webis, cssrs, dreaddit  the topic model's recipe alone (see "forewarn help warn")
  everyday  the shipped detector on held-out everyday text: share with any warning, per corpus and topic
  topics    the shipped detector on held-out topic test splits (precision, recall, F1 per topic),
            and on the Webis passages end to end, retrained per fold (skip with --webis=false)
  webis-budgets  the Webis labels deciding like the others at thresholds raised to background
            budgets: Webis accuracy end to end (per fold, as topics) against everyday text
`)
	model := fs.String("model", "", "comment model `file` (default: the embedded model); with --stack-comments, the one stacked")
	task := fs.String("task", "olid", "what to evaluate")
	data := fs.String("data", "", "dataset `path` for the task")
	folds := fs.Int("folds", 5, "cross-validation folds (topic tasks)")
	seed := fs.Uint64("seed", 1, "cross-validation seed (topic tasks)")
	policy := fs.String("policy", "", "moderate: policy `file` (default: the built-in policy)")
	team := fs.String("team", "data/comments/test.jsonl", "moderate: team-written test `file` (empty skips it)")
	shTeam := fs.String("self-harm-team", "data/selfharm/test.jsonl", "moderate: team-written self-harm test `file` (empty skips it)")
	topicModel := fs.String("topic-model", "", "everyday, topics: topic model `file` to evaluate (default: the embedded model)")
	webis := fs.Bool("webis", true, "topics: also run the Webis end-to-end cross-validation (retrains the topic model once per fold)")
	webisCache := fs.String("webis-cache", "", "topics, webis-budgets: `folder` that keeps the Webis fold models, reused while data and recipe settings are unchanged")
	stack := fs.Bool("stack-comments", false, "webis: stack the comment model's scores into each warning (a recipe under evaluation, not the embedded model's)")
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	if *stack && *task != "webis" {
		return fmt.Errorf("eval: --stack-comments is for --task webis, not %q", *task)
	}
	_, commentTask := comment.EvalTasks[*task]
	switch {
	case moderate.EvalTasks[*task]:
		mod, err := moderate.LoadFiles(*model, *policy, nil)
		if err != nil {
			return err
		}
		return wrap("eval", moderate.RunEval(m.Stdout, mod, *task, cmp.Or(*data, sharedData), *team, *shTeam))
	case *task == "everyday" || *task == "topics" || *task == "webis-budgets":
		return wrap("eval", detector.RunEval(ctx, m.Stdout, *task, cmp.Or(*data, sharedData), *topicModel, *webis, *folds, *seed, *webisCache))
	case topicmodel.EvalTasks[*task] != "":
		cfg := topicmodel.DefaultConfig
		if *stack {
			c, err := comment.LoadFile(*model)
			if err != nil {
				return fmt.Errorf("eval: %w", err)
			}
			cfg.Evidence = topicmodel.CommentEvidence(c)
		}
		dir := cmp.Or(*data, filepath.Join(sharedData, topicmodel.EvalTasks[*task]))
		return wrap("eval", topicmodel.RunEval(ctx, m.Stdout, *task, dir, cfg, *folds, *seed))
	case commentTask:
		c, err := comment.LoadFile(*model)
		if err != nil {
			return err
		}
		return wrap("eval", comment.RunEval(m.Stdout, c, *task, cmp.Or(*data, filepath.Join(sharedData, comment.EvalTasks[*task]))))
	}
	return fmt.Errorf("eval: unknown task %q (want moderate, rules, olid, rustrict, fairness, webis, cssrs, dreaddit, everyday, topics, webis-budgets)", *task)
}

// sharedData is the data folder that train and eval read by default.
const sharedData = "../shared/data"

// wrap adds context to err, if any.
func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
