package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/forewarn/forewarn/cli"
	fwhttp "github.com/forewarn/forewarn/http"
	"github.com/forewarn/forewarn/nats"
	"github.com/forewarn/forewarn/postgres"
)

var workerCommand = cli.Command{
	Name:    "worker",
	Summary: "save comments published by \"serve --nats\" to PostgreSQL",
	Run:     runWorker,
}

func runWorker(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("worker", "--nats URL --db postgres://... [flags]", `  forewarn worker --nats nats://127.0.0.1:4222 --db postgres://forewarn@db.internal/forewarn
  forewarn worker --nats nats://q1:4222,nats://q2:4222,nats://q3:4222 --replicas 3 --db postgres://forewarn@db.internal/forewarn --metrics-addr 127.0.0.1:9090
`)
	natsURL := fs.String("nats", "", "NATS server `URLs` (comma-separated)")
	dsn := fs.String("db", "", "PostgreSQL `URL` (postgres://...) to save comments to")
	batch := fs.Int("batch", nats.DefaultBatchSize, "most comments saved in one transaction")
	own := fs.String("own", "", "save only these `partitions` (comma-separated, e.g. 0,1; default: all); lists must not overlap between workers")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics at `address`/metrics (empty: not served)")
	streams := nats.StreamFlags(fs)
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *natsURL == "" || !postgres.IsURL(*dsn) {
		fs.Usage()
		return errors.New("worker needs --nats URL and --db postgres://..., and takes no arguments")
	}
	owned, err := nats.ParsePartitions(*own)
	if err != nil {
		return fmt.Errorf("--own: %w", err)
	}
	db, err := postgres.Open(ctx, *dsn, m.Logger, time.Now)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	m.OnClose(db.Close)
	js, err := m.ConnectNATS(*natsURL, "forewarn worker")
	if err != nil {
		return err
	}
	w, err := nats.NewWorker(ctx, nats.WorkerConfig{Config: *streams, JetStream: js, Store: db, Logger: m.Logger, BatchSize: *batch, Own: owned})
	if err != nil {
		return err
	}
	if err := m.ServeMetrics(*metricsAddr, fwhttp.MetricsHandlerFor(w.Collectors()...)); err != nil {
		return err
	}
	m.Logger.Info("worker running", "nats", *natsURL, "db", postgres.Redact(*dsn), "batch", *batch)
	// On SIGTERM, Run finishes the batches it holds, acknowledges them and
	// returns.
	if err := w.Run(ctx); err != nil {
		return err
	}
	m.Logger.Info("worker stopped", slog.String("reason", context.Cause(ctx).Error()))
	return nil
}
