// Package webhook sends forewarn's events to the sites that registered for
// them: it signs each delivery with HMAC-SHA256 over a timestamp and the
// body, the scheme payment and chat platforms use, and delivers from the
// store's durable outbox with retries and exponential backoff, so that every
// event arrives at least once even across restarts.
//
// A receiver checks a delivery with Verify and drops events whose ID it has
// already seen: a retry after a lost answer sends the same event again.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// Headers of every delivery.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256>" of
	// "<t>.<body>" under the webhook's secret.
	SignatureHeader = "Forewarn-Signature"
	// EventIDHeader and EventTypeHeader repeat the body's id and type, so a
	// receiver can drop a duplicate before it reads the body.
	EventIDHeader   = "Forewarn-Event-Id"
	EventTypeHeader = "Forewarn-Event-Type"
	// AttemptHeader counts the attempts, from 1.
	AttemptHeader = "Forewarn-Attempt"
)

// DefaultTolerance is how old a signature's timestamp may be before Verify
// refuses it, against replays; five minutes is the value the platforms
// that use this scheme chose, and leaves room for clock skew.
const DefaultTolerance = 5 * time.Minute

// Sign returns the SignatureHeader value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("webhook: no valid signature")
	ErrStale        = errors.New("webhook: signature timestamp outside the tolerance")
	ErrBadSignature = errors.New("webhook: signature does not match")
)

// Verify checks a SignatureHeader value for body at now: a v1 signature
// under secret, with a timestamp within tolerance (DefaultTolerance when
// zero). Several v1 entries are allowed, so that a secret can be rotated.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var (
		ts   string
		sigs [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrNoSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrBadSignature
}

// Defaults of Sender.
const (
	// DefaultBatch deliveries are claimed at a time.
	DefaultBatch = 32
	// DefaultWorkers send at once; a slow receiver holds one worker each.
	DefaultWorkers = 8
	// DefaultTimeout bounds one attempt; a receiver should answer at once
	// and do its work later.
	DefaultTimeout = 10 * time.Second
	// DefaultPoll is how often an idle sender looks for due deliveries.
	DefaultPoll = 500 * time.Millisecond
	// DefaultMaxAttempts attempts, with DefaultBackoff doubling to
	// DefaultMaxBackoff between them, keep retrying for about 15 hours
	// (1+2+...+2048 s, then 1 h nine times) before a delivery fails.
	DefaultMaxAttempts = 21
	DefaultBackoff     = time.Second
	DefaultMaxBackoff  = time.Hour
)

// Sender delivers due events from a store's outbox. Several senders, in one
// process or many, may share one store: claims are leased.
type Sender struct {
	Store  forewarn.WebhookStore
	Client *http.Client // default: a client with Timeout
	Logger *slog.Logger
	Now    func() time.Time

	Batch, Workers, MaxAttempts int
	Timeout, Poll               time.Duration
	Backoff, MaxBackoff         time.Duration

	once sync.Once
}

func (s *Sender) defaults() {
	s.once.Do(func() {
		def := func(v *int, d int) {
			if *v <= 0 {
				*v = d
			}
		}
		defd := func(v *time.Duration, d time.Duration) {
			if *v <= 0 {
				*v = d
			}
		}
		def(&s.Batch, DefaultBatch)
		def(&s.Workers, DefaultWorkers)
		def(&s.MaxAttempts, DefaultMaxAttempts)
		defd(&s.Timeout, DefaultTimeout)
		defd(&s.Poll, DefaultPoll)
		defd(&s.Backoff, DefaultBackoff)
		defd(&s.MaxBackoff, DefaultMaxBackoff)
		if s.Client == nil {
			s.Client = &http.Client{Timeout: s.Timeout}
		}
		if s.Logger == nil {
			s.Logger = slog.New(slog.DiscardHandler)
		}
		if s.Now == nil {
			s.Now = time.Now
		}
	})
}

// lease is how long a claim keeps other senders away: longer than an
// attempt can take, so that a live sender never races another.
func (s *Sender) lease() time.Duration { return 3*s.Timeout + time.Second }

// Run delivers until ctx ends. Deliveries in flight when it ends are not
// recorded and become due again when their lease runs out.
func (s *Sender) Run(ctx context.Context) error {
	s.defaults()
	for {
		n, err := s.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Logger.Error("webhook deliveries", slog.Any("err", err))
		}
		if ctx.Err() != nil {
			return nil
		}
		if n < s.Batch || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(s.Poll):
			}
		}
	}
}

// RunOnce claims one batch of due deliveries, sends them and records the
// outcomes. It returns how many it claimed.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	s.defaults()
	batch, err := s.Store.ClaimDeliveries(ctx, s.Batch, s.lease())
	if err != nil {
		return 0, err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, s.Workers)
	)
	for _, o := range batch {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			r := s.attempt(ctx, o)
			if ctx.Err() != nil {
				return // the lease runs out and the delivery is due again
			}
			if err := s.Store.FinishDelivery(context.WithoutCancel(ctx), o.EventID, o.WebhookID, r); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(batch), errors.Join(errs...)
}

// attempt sends one delivery and says what to record.
func (s *Sender) attempt(ctx context.Context, o *forewarn.Outgoing) forewarn.DeliveryResult {
	n := o.Attempts + 1
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(o.Body))
	if err != nil {
		return forewarn.DeliveryResult{Error: "bad URL: " + err.Error()} // retrying cannot help
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "forewarn-webhook/1")
	req.Header.Set(EventIDHeader, o.EventID)
	req.Header.Set(EventTypeHeader, string(o.EventType))
	req.Header.Set(AttemptHeader, strconv.Itoa(n))
	req.Header.Set(SignatureHeader, Sign(o.Secret, s.Now(), o.Body))
	resp, err := s.Client.Do(req)
	var r forewarn.DeliveryResult
	if err != nil {
		r.Error = err.Error()
	} else {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		r.Status = resp.StatusCode
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			r.Delivered = true
			return r
		}
		r.Error = resp.Status
	}
	if n < s.MaxAttempts {
		r.NextAt = s.Now().Add(s.backoff(n))
	}
	s.Logger.Warn("webhook delivery failed", slog.String("event", o.EventID), slog.String("webhook", o.WebhookID),
		slog.Int("attempt", n), slog.String("error", r.Error), slog.Time("next", r.NextAt))
	return r
}

// backoff is the wait after the nth failed attempt: Backoff doubled n-1
// times, at most MaxBackoff.
func (s *Sender) backoff(n int) time.Duration {
	d := s.Backoff
	for i := 1; i < n && d < s.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.MaxBackoff)
}

// Describe returns a one-line summary of a delivery for logs and the CLI.
func Describe(d *forewarn.Delivery) string {
	s := fmt.Sprintf("%s %s %s -> %s: %s after %d attempts", d.UpdatedAt.Format(time.RFC3339), d.EventID, d.EventType, d.URL, d.State, d.Attempts)
	switch {
	case d.LastError != "":
		s += " (last: " + d.LastError + ")"
	case d.LastStatus != 0:
		s += fmt.Sprintf(" (last: %d)", d.LastStatus)
	}
	return s
}

// Start runs the sender in the background, beside a server, until the
// returned stop is called; stop waits for it to end. It does not stop
// with ctx, so that a server finishing its requests after a signal can
// still have their events sent; what it was sending when stopped becomes
// due again after its lease.
func (s *Sender) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	return func() { cancel(); <-done }
}
