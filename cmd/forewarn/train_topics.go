package main

import (
	"context"
	"fmt"
	"os"

	"github.com/forewarn/forewarn/topicmodel"
)

// trainTopics trains the topic model on the datasets under dataDir and
// writes the model file to out. A seed of 0 keeps the recipe's.
func trainTopics(ctx context.Context, m *Main, dataDir, out string, seed uint64) error {
	if out == "" {
		return fmt.Errorf("train: --out is required")
	}
	c, err := topicmodel.LoadCorpus(dataDir)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cfg := topicmodel.DefaultConfig
	if seed != 0 {
		cfg.Train.Seed = seed
	}
	docs, err := c.Docs()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	model, err := topicmodel.Train(docs, cfg)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	b, err := model.MarshalBinary()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	fmt.Fprintf(m.Stderr, "wrote %s: %d labels, %d bytes, data %s\n", out, model.NumLabels(), len(b), model.DataDigest[:12])
	return nil
}
