// Package nats carries comments from the HTTP API to PostgreSQL through
// NATS JetStream, so that intake scales with API instances and storage with
// a pool of workers.
//
// An Intake publishes each decided comment to the comments stream (a work
// queue, replicated when the cluster has several nodes) with the
// idempotency key as its message id, and reports it taken in only once the
// stream acknowledged it. A Worker pulls from a durable consumer of that
// stream, saves comments in batches through a forewarn.BatchStore (one
// transaction per batch, an upsert by comment ID), publishes a decided event
// per comment to the decided stream, and acknowledges the messages only
// after that. A message redelivered after a crash therefore changes nothing
// in the database and publishes an event that the decided stream drops as a
// duplicate.
package nats

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/cespare/xxhash/v2"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults for the zero values of Config.
const (
	// DefaultPrefix starts every subject.
	DefaultPrefix = "forewarn"
	// DefaultCommentsStream and DefaultDecidedStream name the streams.
	DefaultCommentsStream = "FOREWARN_COMMENTS"
	DefaultDecidedStream  = "FOREWARN_DECIDED"
	// DefaultMaxMsgs bounds the comments waiting for a worker: about three
	// minutes of the 5,000 comments/s one PostgreSQL took in the store
	// benchmark, after which the API refuses comments with 503 rather
	// than letting the backlog grow without end.
	DefaultMaxMsgs = 1_000_000
	// DefaultMaxBytes bounds the same backlog in bytes: a comment message
	// is about 550 bytes with a 90-byte text (measured on the bench's
	// comments), so MaxMsgs binds first unless texts average over 500
	// bytes, and the backlog never takes more than 1 GiB of disk per node.
	DefaultMaxBytes = 1 << 30
	// DefaultDuplicates is how long the stream remembers message ids to
	// drop a retried comment: ten minutes covers a client's retries with
	// back-off; a retry later than that saves nothing new either, because
	// the comment ID is derived from the idempotency key.
	DefaultDuplicates = 10 * time.Minute
	// DefaultDecidedMaxAge is how long decided events stay for webhooks
	// and other readers: a week lets a reader be down over a weekend.
	DefaultDecidedMaxAge = 7 * 24 * time.Hour
	// DefaultDurable names the consumer that all workers share.
	DefaultDurable = "workers"
	// DefaultPartitions is the number of comment subjects. One suffices on
	// one stream; docs/scale.md says when to split.
	DefaultPartitions = 1
)

// Config names the streams and sets their limits. The zero value takes the
// defaults above and one replica.
type Config struct {
	// Prefix starts every subject: comments go to Prefix.comments.N and
	// decided events to Prefix.decided.DECISION.
	Prefix         string
	CommentsStream string
	DecidedStream  string
	// Durable names the consumer that all workers share.
	Durable string
	// Replicas is how many nodes keep each stream: 1, or 3 on a cluster so
	// that a node may fail without losing an acknowledged comment.
	Replicas int
	// MaxMsgs and MaxBytes bound the comments waiting for a worker; when
	// either is reached, new comments are refused (and the API answers 503).
	MaxMsgs  int64
	MaxBytes int64
	// Duplicates is the window in which a message id is remembered.
	Duplicates time.Duration
	// DecidedMaxAge is how long decided events are kept.
	DecidedMaxAge time.Duration
	// Partitions splits comments over subjects by post, so that streams
	// can later be split by subject without changing publishers.
	Partitions int
}

func (c *Config) setDefaults() {
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	c.CommentsStream = cmp.Or(c.CommentsStream, DefaultCommentsStream)
	c.DecidedStream = cmp.Or(c.DecidedStream, DefaultDecidedStream)
	c.Durable = cmp.Or(c.Durable, DefaultDurable)
	orDefault(&c.Replicas, 1)
	orDefault(&c.MaxMsgs, DefaultMaxMsgs)
	orDefault(&c.MaxBytes, DefaultMaxBytes)
	orDefault(&c.Duplicates, DefaultDuplicates)
	orDefault(&c.DecidedMaxAge, DefaultDecidedMaxAge)
	orDefault(&c.Partitions, DefaultPartitions)
}

// orDefault sets *v to def when it is zero or negative: a number, size or
// duration left unset.
func orDefault[T ~int | ~int64](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Connect connects to the NATS servers at urls (comma-separated) under
// name, reconnecting for as long as the process runs, so that a node that
// goes away costs a few failed publishes rather than a restart.
func Connect(urls, name string, logger *slog.Logger) (*natsgo.Conn, jetstream.JetStream, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	nc, err := natsgo.Connect(urls, natsgo.Name(name), natsgo.MaxReconnects(-1),
		natsgo.DisconnectErrHandler(func(_ *natsgo.Conn, err error) {
			if err != nil {
				logger.Warn("nats disconnected", slog.Any("err", err))
			}
		}),
		natsgo.ReconnectHandler(func(nc *natsgo.Conn) { logger.Info("nats reconnected", "url", nc.ConnectedUrlRedacted()) }))
	if err != nil {
		return nil, nil, fmt.Errorf("connect to nats %s: %w", urls, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("jetstream: %w", err)
	}
	return nc, js, nil
}

// Partition returns the partition of the comments on post: the same for
// every comment of a post, so that they stay in order.
func (c Config) Partition(post string) int {
	c.setDefaults()
	return int(xxhash.Sum64String(post) % uint64(c.Partitions))
}

// commentSubject returns the subject of a comment on post.
func (c *Config) commentSubject(post string) string {
	return c.Prefix + ".comments." + strconv.Itoa(c.Partition(post))
}

// streamConfigs returns the configuration of the comments and decided
// streams.
func (c *Config) streamConfigs() (comments, decided jetstream.StreamConfig) {
	comments = jetstream.StreamConfig{
		Name:        c.CommentsStream,
		Description: "comments taken in by the API, waiting for a worker to save them",
		Subjects:    []string{c.Prefix + ".comments.>"},
		// A work queue deletes a message once a worker acknowledged it, so
		// MaxMsgs bounds the backlog, not the history; Discard New refuses
		// a comment instead of dropping one already taken in.
		Retention:  jetstream.WorkQueuePolicy,
		Discard:    jetstream.DiscardNew,
		MaxMsgs:    c.MaxMsgs,
		MaxBytes:   c.MaxBytes,
		Duplicates: c.Duplicates,
		Storage:    jetstream.FileStorage,
		Replicas:   c.Replicas,
	}
	decided = jetstream.StreamConfig{
		Name:        c.DecidedStream,
		Description: "comments saved by a worker, with their decision, for webhooks and other readers",
		Subjects:    []string{c.Prefix + ".decided.>"},
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      c.DecidedMaxAge,
		// Events are published with the comment ID as message id, so a
		// worker that publishes again after a crash adds nothing.
		Duplicates: min(c.Duplicates, c.DecidedMaxAge),
		Storage:    jetstream.FileStorage,
		Replicas:   c.Replicas,
	}
	return comments, decided
}

// EnsureStreams creates the comments and decided streams, or checks that
// existing ones are set up as this package needs: the same subjects, a
// work queue that refuses new messages when full for comments, and the
// configured replicas. Limits that differ are updated.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, cfg Config) error {
	cfg.setDefaults()
	comments, decided := cfg.streamConfigs()
	for _, want := range []jetstream.StreamConfig{comments, decided} {
		if err := ensureStream(ctx, js, want); err != nil {
			return err
		}
	}
	return nil
}

func ensureStream(ctx context.Context, js jetstream.JetStream, want jetstream.StreamConfig) error {
	s, err := js.Stream(ctx, want.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if _, err := js.CreateStream(ctx, want); err != nil {
			return fmt.Errorf("create stream %s with %d replicas: %w (a replicated stream needs as many JetStream nodes)", want.Name, want.Replicas, err)
		}
		return nil
	} else if err != nil {
		return fmt.Errorf("stream %s: %w (is JetStream enabled on the server?)", want.Name, err)
	}
	have := s.CachedInfo().Config
	switch {
	case !slices.Equal(have.Subjects, want.Subjects):
		return fmt.Errorf("stream %s exists with subjects %v, want %v", want.Name, have.Subjects, want.Subjects)
	case have.Retention != want.Retention:
		return fmt.Errorf("stream %s exists with retention %s, want %s", want.Name, have.Retention, want.Retention)
	case have.Discard != want.Discard:
		return fmt.Errorf("stream %s exists with discard policy %s, want %s", want.Name, have.Discard, want.Discard)
	case have.Replicas != want.Replicas:
		return fmt.Errorf("stream %s exists with %d replicas, want %d", want.Name, have.Replicas, want.Replicas)
	}
	if have.MaxMsgs != want.MaxMsgs || have.MaxBytes != want.MaxBytes || have.Duplicates != want.Duplicates || have.MaxAge != want.MaxAge {
		have.MaxMsgs, have.MaxBytes, have.Duplicates, have.MaxAge = want.MaxMsgs, want.MaxBytes, want.Duplicates, want.MaxAge
		if _, err := js.UpdateStream(ctx, have); err != nil {
			return fmt.Errorf("update limits of stream %s: %w", want.Name, err)
		}
	}
	return nil
}
