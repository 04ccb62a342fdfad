package nats

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/forewarn/forewarn"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of IntakeConfig.
const (
	// DefaultPublishTimeout bounds the wait for the stream's
	// acknowledgement. A replicated stream acknowledges in about a
	// millisecond when healthy and elects a new leader within a few seconds
	// after a node fails; past five seconds the client is better served by
	// a 503 and its own retry.
	DefaultPublishTimeout = 5 * time.Second
	// fullRetryAfter is the Retry-After of a full stream: a worker saved
	// about 4,900 comments a second in bench/nats.sh (docs/scale.md), so
	// within a second thousands of places free up per worker.
	fullRetryAfter = time.Second
)

// errCodeStoreFailed is JetStream's error code for a message the stream
// would not store; with Discard New it means the stream is full
// (nats-server's JSStreamStoreFailedF).
const errCodeStoreFailed = 10077

// CommentReader finds a stored comment; forewarn.Store implements it.
type CommentReader interface {
	Comment(ctx context.Context, id string) (*forewarn.Comment, error)
}

// IntakeConfig is what an Intake needs. JetStream is required.
type IntakeConfig struct {
	Config
	JetStream jetstream.JetStream
	// Store finds the comment a replayed idempotency key names once a
	// worker saved it; nil means replays are answered from the stream only.
	Store  CommentReader
	Logger *slog.Logger
	Now    func() time.Time
	// PublishTimeout bounds the wait for the stream's acknowledgement.
	PublishTimeout time.Duration
}

// Intake is a forewarn.Intake that appends comments to the comments
// stream. It is safe for concurrent use.
type Intake struct {
	cfg       IntakeConfig
	published *prometheus.CounterVec
	lag       *lagCollector
}

var _ forewarn.Intake = (*Intake)(nil)

// NewIntake checks or creates the streams and returns an intake.
func NewIntake(ctx context.Context, cfg IntakeConfig) (*Intake, error) {
	cfg.setDefaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	orDefault(&cfg.PublishTimeout, DefaultPublishTimeout)
	if err := EnsureStreams(ctx, cfg.JetStream, cfg.Config); err != nil {
		return nil, err
	}
	return &Intake{
		cfg: cfg,
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_intake_published_total",
			Help: "Comments published to the comments stream, by result (accepted, duplicate, full, failed).",
		}, []string{"result"}),
		lag: newLagCollector(cfg.JetStream, cfg.Config, cfg.Logger),
	}, nil
}

// Collectors returns the intake's Prometheus metrics and the lag and
// redeliveries of the workers' consumer.
func (in *Intake) Collectors() []prometheus.Collector {
	return []prometheus.Collector{in.published, in.lag}
}

// CommentID returns the comment ID an idempotency key stands for, so that a
// comment published twice under one key is saved once.
func CommentID(idem forewarn.IdempotencyKey) string {
	sum := sha256.Sum256([]byte(msgID(idem)))
	id, _ := forewarn.NewID(bytes.NewReader(sum[:]), "c_") // cannot fail: enough bytes
	return id
}

// msgID returns the Nats-Msg-Id of an idempotency key: both parts, the API
// key ID's length first so that no two keys give one id.
func msgID(idem forewarn.IdempotencyKey) string {
	return strconv.Itoa(len(idem.KeyID)) + ":" + idem.KeyID + ":" + idem.Key
}

// CreateComment validates c and publishes it; it returns once the stream
// acknowledged the comment. With an idempotency key the comment's ID is
// derived from the key and the key is the message id, so a retry within
// the stream's duplicate window returns the comment first published with
// existed true. A full or unreachable stream is forewarn.ErrUnavailable.
func (in *Intake) CreateComment(ctx context.Context, c *forewarn.Comment, idem forewarn.IdempotencyKey) (*forewarn.Comment, bool, error) {
	if err := idem.Check(); err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	if !idem.IsZero() {
		cp := *c
		cp.ID = CommentID(idem)
		c = &cp
	}
	c, err := c.Prepare(rand.Reader, in.cfg.Now())
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	body, err := json.Marshal(forewarn.Accepted{Comment: c, Idem: idem})
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	msg := natsgo.NewMsg(in.cfg.commentSubject(c.PostID))
	msg.Data = body
	if !idem.IsZero() {
		msg.Header.Set(jetstream.MsgIDHeader, msgID(idem))
	}
	pctx, cancel := context.WithTimeout(ctx, in.cfg.PublishTimeout)
	defer cancel()
	ack, err := in.cfg.JetStream.PublishMsg(pctx, msg, jetstream.WithExpectStream(in.cfg.CommentsStream))
	if err != nil {
		return nil, false, in.publishError(err)
	}
	if !ack.Duplicate {
		in.published.WithLabelValues("accepted").Inc()
		return c, false, nil
	}
	in.published.WithLabelValues("duplicate").Inc()
	prev, err := in.original(ctx, ack.Sequence, c.ID)
	if err != nil {
		return nil, false, fmt.Errorf("create comment: replay: %w", err)
	}
	return prev, true, nil
}

// publishError turns a failed publish into the error the caller returns: a
// full stream or a lost connection is forewarn.ErrUnavailable, so that the
// client retries with the same key.
func (in *Intake) publishError(err error) error {
	var api *jetstream.APIError
	if errors.As(err, &api) && api.ErrorCode == errCodeStoreFailed {
		in.published.WithLabelValues("full").Inc()
		return fmt.Errorf("create comment: %w", &forewarn.UnavailableError{Reason: "comments stream is full: " + api.Description, RetryAfter: fullRetryAfter})
	}
	in.published.WithLabelValues("failed").Inc()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("create comment: %w", err)
	}
	// Timeouts, no responders during a leader election, a closed
	// connection: the comment may or may not be in the stream, and a retry
	// under the same key settles it.
	return fmt.Errorf("create comment: %w", &forewarn.UnavailableError{Reason: "publish: " + err.Error(), RetryAfter: time.Second})
}

// original returns the comment first published under a message id: from
// the stream while it waits there, else from the store, where a worker put
// it before acknowledging (and so before the stream deleted it).
func (in *Intake) original(ctx context.Context, seq uint64, id string) (*forewarn.Comment, error) {
	s, err := in.cfg.JetStream.Stream(ctx, in.cfg.CommentsStream)
	if err != nil {
		return nil, err
	}
	raw, err := s.GetMsg(ctx, seq)
	if err == nil {
		var a forewarn.Accepted
		if err := json.Unmarshal(raw.Data, &a); err != nil || a.Comment == nil {
			return nil, fmt.Errorf("message %d: bad comment: %v", seq, err)
		}
		return a.Comment, nil
	} else if !errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, err
	}
	if in.cfg.Store == nil {
		return nil, fmt.Errorf("message %d was saved and no store is configured: %w", seq, forewarn.ErrNotFound)
	}
	return in.cfg.Store.Comment(ctx, id)
}
