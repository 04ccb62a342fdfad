package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"

	"github.com/forewarn/forewarn/comment"
)

var trainCommand = command{
	name:    "train",
	summary: "train a model on the labelled datasets and write the model file",
	run:     runTrain,
}

func runTrain(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("train", "[flags]", `  forewarn train --data ../shared/data --out comment.fwm
  forewarn train --config recipe.json --out comment.fwm
  forewarn train --task topics --data ../shared/data --out topics.fwm

The comment model trains on OLID's training file and Davidson's tweets
(paths in the recipe are relative to --data). A recipe file is JSON with the
fields of the default recipe; print it with --print-config.
`)
	task := fs.String("task", "comments", "what to train: comments or topics")
	data := fs.String("data", "../shared/data", "`folder` holding the datasets")
	config := fs.String("config", "", "recipe `file` (JSON); flags below override it")
	out := fs.String("out", "", "model `file` to write (required)")
	seed := fs.Uint64("seed", 0, "training seed (0: the recipe's)")
	printConfig := fs.Bool("print-config", false, "print the recipe as JSON and exit")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *task == "topics" {
		return trainTopics(ctx, m, *data, *out, *seed)
	}
	if *task != "comments" {
		return fmt.Errorf("train: unknown task %q (want comments or topics)", *task)
	}
	r := comment.DefaultRecipe
	if *config != "" {
		b, err := os.ReadFile(*config)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("train: recipe %s: %w", *config, err)
		}
	}
	if *seed != 0 {
		r.Train.Seed = *seed
	}
	if *printConfig {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("train: --out is required")
	}
	r.OLID = filepath.Join(*data, r.OLID)
	if r.Davidson != "" {
		r.Davidson = filepath.Join(*data, r.Davidson)
	}
	bar := progressbar.NewOptions64(1000, progressbar.OptionSetWriter(m.Stderr), progressbar.OptionSetVisibility(isTerminal(m.Stderr)),
		progressbar.OptionSetDescription("training"), progressbar.OptionThrottle(200e6),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionClearOnFinish())
	model, report, err := comment.Train(r, func(done, total int) {
		bar.Set64(int64(done) * 1000 / int64(max(total, 1)))
	})
	bar.Finish()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	b, err := model.MarshalBinary()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	fmt.Fprintf(m.Stdout, "wrote %s (%d bytes, data digest %.12s)\n", *out, len(b), model.DataDigest)
	fmt.Fprintln(m.Stdout, "held-out figures (out-of-fold over the training data, or the validation split):")
	printReport(m.Stdout, report)
	return nil
}

// printReport prints per-label figures as a table.
func printReport(w io.Writer, report []comment.LabelReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "label\tn\tpositives\tthreshold\tprecision\trecall\tF1\tmacro-F1\tROC-AUC\tAUPRC\t")
	for _, l := range report {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n",
			l.Label, l.N, l.Positives, l.Threshold, l.Precision, l.Recall, l.F1, l.MacroF1, l.ROCAUC, l.AUPRC)
	}
	tw.Flush()
}
