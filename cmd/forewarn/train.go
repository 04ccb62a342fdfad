package main

import (
	"context"
	"encoding"
	"fmt"

	"github.com/forewarn/forewarn/cli"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/selfharm"
	"github.com/forewarn/forewarn/topicmodel"
)

var trainCommand = cli.Command{
	Name:    "train",
	Summary: "train a model on the labelled datasets and write the model file",
	Run:     runTrain,
}

func runTrain(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("train", "[flags]", `  forewarn train --data ../shared/data --out comment.fwm
  forewarn train --config recipe.json --out comment.fwm
  forewarn train --task spans --data ../shared/data --out spans.fwm
  forewarn train --task topics --data ../shared/data --out topics.fwm
  forewarn train --task self-harm --data ../shared/data --out selfharm/model/selfharm.fwm

The comment model trains on the training parts of OLID, Davidson, Latent
Hatred, EDOS, Stormfront, toxic spans, GoEmotions and SDCNL under --data,
and on the team-written comments of data/comments (see docs/moderation.md);
its neural network is written beside --out (comment-net.fwm beside
comment.fwm), and the two files go together.
A recipe file is JSON with the fields of the default recipe; print it with
--print-config. docs/architecture.md says how to retrain every embedded model.
`)
	task := fs.String("task", "comments", "what to train: comments, spans, self-harm or topics")
	data := fs.String("data", sharedData, "`folder` holding the datasets")
	config := fs.String("config", "", "recipe `file` (JSON); flags below override it")
	out := fs.String("out", "", "model `file` to write (required)")
	seed := fs.Uint64("seed", 0, "training seed (0: the recipe's)")
	printConfig := fs.Bool("print-config", false, "print the recipe as JSON and exit")
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	r, shr := comment.DefaultRecipe, selfharm.DefaultRecipe
	recipe := any(&r)
	switch *task {
	case "comments", "spans", "topics":
	case "self-harm":
		recipe = &shr
	default:
		return fmt.Errorf("train: unknown task %q (want comments, spans, self-harm or topics)", *task)
	}
	if err := cli.ReadJSON(*config, recipe); err != nil {
		return fmt.Errorf("train: recipe: %w", err)
	}
	if *seed != 0 {
		r.Train.Seed = *seed
	}
	if *printConfig && *task == "comments" {
		return m.WriteJSON(r)
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("train: --out is required")
	}
	switch *task {
	case "topics":
		model, err := topicmodel.TrainCorpus(ctx, *data, *seed)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		n, err := cli.WriteModel(*out, model)
		fmt.Fprintf(m.Stderr, "wrote %s: %d labels, %d bytes, data %.12s\n", *out, model.NumLabels(), n, model.DataDigest)
		return err
	case "spans":
		model, f1, err := comment.TrainSpans(comment.DefaultSpanRecipe, *data)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		n, err := cli.WriteModel(*out, model)
		fmt.Fprintf(m.Stdout, "wrote %s (%d bytes); out-of-fold mean span F1 %.4f at threshold %.3f\n", *out, n, f1, model.Thresholds[0])
		return err
	case "self-harm":
		shr.Data = *data
		model, report, err := selfharm.Train(shr, nil)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if err := writeModel(m, *out, model); err != nil {
			return err
		}
		return report.Write(m.Stdout)
	}
	r.Data = *data
	bar := m.Bar(1000, "training")
	tr, err := comment.Train(r, func(done, total int) {
		bar.Set64(int64(done) * 1000 / int64(max(total, 1)))
	})
	bar.Finish()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := writeModel(m, *out, tr.Model); err != nil {
		return err
	}
	if tr.Net != nil {
		// The model's notes name the network by its bytes: both files go
		// together.
		if err := writeFile(m, comment.NetName(*out), tr.Net, tr.Net.DataDigest); err != nil {
			return err
		}
	}
	return comment.WriteTrained(m.Stdout, tr)
}

// writeModel writes model to out and says so with its size and data digest.
func writeModel(m *cli.Main, out string, model *linear.Model) error {
	return writeFile(m, out, model, model.DataDigest)
}

// writeFile writes a model file to out and says so with its size and the
// digest of its data.
func writeFile(m *cli.Main, out string, model encoding.BinaryMarshaler, digest string) error {
	n, err := cli.WriteModel(out, model)
	if err == nil {
		fmt.Fprintf(m.Stdout, "wrote %s (%d bytes, data digest %.12s)\n", out, n, digest)
	}
	return err
}
