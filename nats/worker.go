package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/forewarn/forewarn"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of WorkerConfig.
const (
	// DefaultBatchSize is the most comments saved in one transaction. In
	// bench/nats.sh one worker saved a full stream at 2,627, 4,179 and
	// 4,881 comments/s with batches of 50, 200 and 500 (docs/scale.md). A
	// batch takes only what has arrived, so on a quiet site batches are
	// small and a large limit costs no latency.
	DefaultBatchSize = 500
	// DefaultAckWait is how long the stream waits for a worker to
	// acknowledge a message before it hands it to another worker. A batch
	// commits in well under a second; thirty seconds leaves room for a slow
	// database without redelivering work in progress.
	DefaultAckWait = 30 * time.Second
	// DefaultMaxAckPending bounds the messages delivered to all workers
	// and not yet acknowledged: each worker holds at most two batches, so
	// this lets twenty workers of DefaultBatchSize run at full speed.
	DefaultMaxAckPending = 20 * 2 * DefaultBatchSize
	// DefaultSaveTimeout bounds one batch's transaction.
	DefaultSaveTimeout = 20 * time.Second
	// retryDelay is how long a batch that failed to save waits before it
	// is delivered again, so that a down database is not hammered.
	retryDelay = time.Second
)

// WorkerConfig is what a Worker needs. JetStream and Store are required.
type WorkerConfig struct {
	Config
	JetStream jetstream.JetStream
	Store     forewarn.BatchStore
	Logger    *slog.Logger
	// BatchSize is the most comments saved in one transaction.
	BatchSize int
	// AckWait is how long a message may stay unacknowledged before the
	// stream redelivers it to another worker.
	AckWait time.Duration
	// SaveTimeout bounds one batch's transaction.
	SaveTimeout time.Duration
	// Own lists the partitions this worker saves (empty: all). Workers
	// with the same list share one consumer; lists must not overlap, so
	// that a pool of workers can write to the database shard of its
	// partitions (docs/scale.md).
	Own []int
}

// Worker saves comments from the comments stream in batches and publishes
// a decided event for each.
type Worker struct {
	cfg  WorkerConfig
	cons jetstream.Consumer

	batches     prometheus.Counter
	saved       *prometheus.CounterVec
	redelivered prometheus.Counter
	batchTime   prometheus.Histogram
	lag         *lagCollector

	// hook, when set by tests, runs at each stage of a batch ("fetched",
	// "committed"); a stage after which killed is set ends the batch there,
	// as a crash would.
	hook   func(stage string)
	killed atomic.Bool
}

// NewWorker checks or creates the streams and the durable consumer and
// returns a worker; call Run to start it.
func NewWorker(ctx context.Context, cfg WorkerConfig) (*Worker, error) {
	cfg.setDefaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	orDefault(&cfg.BatchSize, DefaultBatchSize)
	orDefault(&cfg.AckWait, DefaultAckWait)
	orDefault(&cfg.SaveTimeout, DefaultSaveTimeout)
	if err := EnsureStreams(ctx, cfg.JetStream, cfg.Config); err != nil {
		return nil, err
	}
	var filters []string
	if len(cfg.Own) > 0 {
		own := slices.Sorted(slices.Values(cfg.Own))
		own = slices.Compact(own)
		name := cfg.Durable + "-p"
		for i, p := range own {
			if p < 0 || p >= cfg.Partitions {
				return nil, fmt.Errorf("partition %d: there are %d (0 to %d)", p, cfg.Partitions, cfg.Partitions-1)
			}
			if i > 0 {
				name += "-"
			}
			name += strconv.Itoa(p)
			filters = append(filters, cfg.Prefix+".comments."+strconv.Itoa(p))
		}
		cfg.Durable = name
	}
	cons, err := cfg.JetStream.CreateOrUpdateConsumer(ctx, cfg.CommentsStream, jetstream.ConsumerConfig{
		Durable:        cfg.Durable,
		FilterSubjects: filters,
		Description:    "workers saving comments to the database",
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        cfg.AckWait,
		MaxDeliver:     -1, // a comment taken in is never given up
		MaxAckPending:  max(DefaultMaxAckPending, 2*cfg.BatchSize),
		Replicas:       cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %s on stream %s: %w (workers owning partitions must not overlap: each comment goes to one consumer)", cfg.Durable, cfg.CommentsStream, err)
	}
	w := &Worker{
		cfg:  cfg,
		cons: cons,
		batches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "forewarn_worker_batches_total", Help: "Batches of comments saved.",
		}),
		saved: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_worker_comments_total",
			Help: "Comments handled, by result: inserted, existing (a redelivery that changed nothing) or invalid.",
		}, []string{"result"}),
		redelivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "forewarn_worker_redeliveries_total", Help: "Messages this worker received more than once delivered.",
		}),
		batchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "forewarn_worker_batch_seconds",
			Help:    "Time to save a batch, publish its events and acknowledge it.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10),
		}),
		lag: newLagCollector(cfg.JetStream, cfg.Config, cfg.Logger),
	}
	return w, nil
}

// Collectors returns the worker's Prometheus metrics, the consumer's lag
// and redeliveries included.
func (w *Worker) Collectors() []prometheus.Collector {
	return []prometheus.Collector{w.batches, w.saved, w.redelivered, w.batchTime, w.lag}
}

// Run pulls and saves batches until ctx ends, then drains: it saves and
// acknowledges the batch it holds and returns nil. It returns an error
// only when the consumer is gone for good.
//
// Each pull is bounded: a batch takes what is waiting right now (up to
// BatchSize), or, when nothing is, the first comment to arrive within
// pollWait and what came with it. Every message the server delivered is
// therefore in hand when Run stops, so a drain leaves nothing to be
// redelivered after the ack wait.
func (w *Worker) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		batch, err := w.pull(ctx)
		if err != nil {
			if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrConsumerDeleted) {
				return fmt.Errorf("consumer %s: %w", w.cfg.Durable, err)
			}
			w.cfg.Logger.Warn("pull", slog.Any("err", err))
			select { // NATS unreachable: wait for the reconnect
			case <-ctx.Done():
			case <-time.After(retryDelay):
			}
			continue
		}
		if len(batch) > 0 {
			w.process(batch)
		}
		if w.killed.Load() {
			return errKilled
		}
	}
	// Acks are sent without waiting; make sure the server has them before
	// the process exits.
	if err := w.cfg.JetStream.Conn().FlushTimeout(5 * time.Second); err != nil {
		w.cfg.Logger.Warn("flush acks", slog.Any("err", err))
	}
	w.cfg.Logger.Info("worker drained")
	return nil
}

// pollWait is how long one pull waits for a first comment when none is
// waiting. It bounds how long a stop waits for a pull in progress, and
// costs an idle worker one request per interval.
const pollWait = time.Second

// pull returns the next batch: what is waiting now, or else the first
// comment within pollWait and what is waiting after it.
func (w *Worker) pull(ctx context.Context) ([]jetstream.Msg, error) {
	batch, err := collect(w.cons.FetchNoWait(w.cfg.BatchSize))
	if err != nil || len(batch) > 0 {
		return batch, err
	}
	if ctx.Err() != nil {
		return nil, nil
	}
	batch, err = collect(w.cons.Fetch(1, jetstream.FetchMaxWait(pollWait)))
	if err != nil || len(batch) == 0 || w.cfg.BatchSize == 1 {
		return batch, err
	}
	more, err := collect(w.cons.FetchNoWait(w.cfg.BatchSize - 1))
	return append(batch, more...), err
}

// collect reads a fetched batch to its end.
func collect(mb jetstream.MessageBatch, err error) ([]jetstream.Msg, error) {
	if err != nil {
		return nil, err
	}
	var out []jetstream.Msg
	for m := range mb.Messages() {
		out = append(out, m)
	}
	// Messages in hand are kept whatever ended the batch: they get saved
	// and acknowledged. An error counts only when nothing came.
	if err := mb.Error(); err != nil && len(out) == 0 && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, natsgo.ErrTimeout) {
		return nil, err
	}
	return out, nil
}

// errKilled ends Run after a test killed the worker.
var errKilled = errors.New("worker killed")

// stage runs the test hook and reports whether the batch must end here.
func (w *Worker) stage(name string) bool {
	if w.hook != nil {
		w.hook(name)
	}
	return w.killed.Load()
}

// process saves one batch, publishes its events and acknowledges it. A
// batch that fails is negatively acknowledged with a delay, so that the
// stream delivers it again; nothing is lost and a repeat changes nothing.
func (w *Worker) process(batch []jetstream.Msg) {
	start := time.Now()
	if w.stage("fetched") {
		return
	}
	accepted := make([]forewarn.Accepted, 0, len(batch))
	msgs := make([]jetstream.Msg, 0, len(batch))
	for _, m := range batch {
		if md, err := m.Metadata(); err == nil && md.NumDelivered > 1 {
			w.redelivered.Inc()
		}
		var a forewarn.Accepted
		if err := json.Unmarshal(m.Data(), &a); err != nil || a.Comment == nil {
			// Only this package publishes here; a message it cannot read
			// will never save, so it is logged and dropped, not retried.
			w.cfg.Logger.Error("dropping unreadable comment message", slog.String("subject", m.Subject()), slog.Any("err", err))
			w.saved.WithLabelValues("invalid").Inc()
			if err := m.Term(); err != nil {
				w.cfg.Logger.Warn("term", slog.Any("err", err))
			}
			continue
		}
		accepted = append(accepted, a)
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return
	}
	// The batch finishes even when Run's context ends: that is the drain.
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.SaveTimeout)
	defer cancel()
	inserted, err := w.cfg.Store.SaveComments(ctx, accepted)
	if err != nil {
		w.cfg.Logger.Error("save batch", slog.Int("comments", len(msgs)), slog.Any("err", err))
		w.nakAll(msgs)
		return
	}
	if w.stage("committed") {
		return
	}
	for _, ok := range inserted {
		if ok {
			w.saved.WithLabelValues("inserted").Inc()
		} else {
			w.saved.WithLabelValues("existing").Inc()
		}
	}
	if err := w.publishDecided(ctx, accepted); err != nil {
		w.cfg.Logger.Error("publish decided events", slog.Int("comments", len(msgs)), slog.Any("err", err))
		w.nakAll(msgs)
		return
	}
	for _, m := range msgs {
		// A lost acknowledgement only means a redelivery, which saves
		// nothing new.
		if err := m.Ack(); err != nil {
			w.cfg.Logger.Warn("ack", slog.Any("err", err))
		}
	}
	w.batches.Inc()
	w.batchTime.Observe(time.Since(start).Seconds())
}

func (w *Worker) nakAll(msgs []jetstream.Msg) {
	for _, m := range msgs {
		if err := m.NakWithDelay(retryDelay); err != nil {
			w.cfg.Logger.Warn("nak", slog.Any("err", err))
		}
	}
}

// DecidedEvent is the body of a message on the decided stream: a comment
// as saved, with its decision and queue status.
type DecidedEvent struct {
	Comment *forewarn.Comment `json:"comment"`
}

// publishDecided publishes one event per comment, with the comment ID as
// message id, and waits for the stream to acknowledge them all.
func (w *Worker) publishDecided(ctx context.Context, cs []forewarn.Accepted) error {
	futures := make([]jetstream.PubAckFuture, 0, len(cs))
	for _, a := range cs {
		body, err := json.Marshal(DecidedEvent{Comment: a.Comment})
		if err != nil {
			return err
		}
		msg := natsgo.NewMsg(w.cfg.Prefix + ".decided." + string(a.Comment.Decision))
		msg.Data = body
		f, err := w.cfg.JetStream.PublishMsgAsync(msg, jetstream.WithMsgID(a.Comment.ID), jetstream.WithExpectStream(w.cfg.DecidedStream))
		if err != nil {
			return err
		}
		futures = append(futures, f)
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
