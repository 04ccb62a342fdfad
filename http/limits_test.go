package http_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

func TestEvidenceCapped(t *testing.T) { eachStore(t, testEvidenceCapped) }

// A comment with many hostile words keeps at most forewarn.MaxEvidence
// merged spans, in the reply and in the queue.
func testEvidenceCapped(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st})
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(t, 201)
	var c commentOut
	e.do("POST", "/v1/posts/loss-1/comments", publisherKey, `{"text":"`+strings.Repeat("you idiot ", 500)+`","author":"a"}`,
		"Idempotency-Key", "many").mustStatus(t, 201).json(t, &c)
	if len(c.Evidence) != forewarn.MaxEvidence {
		t.Errorf("%d evidence spans, want %d", len(c.Evidence), forewarn.MaxEvidence)
	}
	var n forewarn.Nudge
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"`+strings.Repeat("idiot", 500)+`"}`).mustStatus(t, 200).json(t, &n)
	if len(n.Evidence) != 1 || n.Evidence[0].End-n.Evidence[0].Start != 2500 {
		t.Errorf("touching spans not merged: %+v", n.Evidence)
	}
}

func TestQueueBytes(t *testing.T) { eachStore(t, testQueueBytes) }

// A queue reply stays within QueueBytes and says that more wait.
func testQueueBytes(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st, QueueBytes: 3000})
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(t, 201)
	for i := range 5 {
		e.do("POST", "/v1/posts/loss-1/comments", publisherKey, fmt.Sprintf(`{"text":"idiot %s","author":"a"}`, strings.Repeat("x", 1000)),
			"Idempotency-Key", fmt.Sprint("q", i)).mustStatus(t, 201)
	}
	var q struct {
		Comments []forewarn.Comment
		More     bool
	}
	r := e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 200)
	r.json(t, &q)
	if len(r.body) > 3000+100 || len(q.Comments) != 2 || !q.More {
		t.Errorf("%d bytes, %d comments, more %v; want about 3000 bytes, 2 comments and more", len(r.body), len(q.Comments), q.More)
	}
	q.More = false
	e.do("GET", "/v1/queue?limit=2", moderatorKey, "").mustStatus(t, 200).json(t, &q)
	if len(q.Comments) != 2 || q.More {
		t.Errorf("a reply that fits: %d comments, more %v", len(q.Comments), q.More)
	}
}

// blockingModerator blocks Decide and Nudge until release is closed, or
// sleeps for delay.
type blockingModerator struct {
	fakeModerator
	started chan struct{}
	once    *sync.Once
	release chan struct{}
	delay   time.Duration
}

func (m blockingModerator) Decide(p *forewarn.Post, text string) forewarn.Verdict {
	m.once.Do(func() { close(m.started) })
	if m.delay > 0 {
		time.Sleep(m.delay)
	} else {
		<-m.release
	}
	return m.fakeModerator.Decide(p, text)
}

func (m blockingModerator) Nudge(p *forewarn.Post, text string) forewarn.Nudge {
	m.Decide(p, text)
	return m.fakeModerator.Nudge(p, text)
}

func TestBusy(t *testing.T) {
	mod := blockingModerator{started: make(chan struct{}), once: new(sync.Once), release: make(chan struct{})}
	e := newEnv(t, fwhttp.Config{Moderator: mod, MaxInFlight: 1, SlotWait: 20 * time.Millisecond})
	done := make(chan int)
	go func() { done <- e.do("POST", "/v1/nudge", publisherKey, `{"text":"first"}`).status }()
	<-mod.started
	r := e.do("POST", "/v1/nudge", publisherKey, `{"text":"second"}`).mustStatus(t, 503)
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	// Light routes do not wait for the heavy ones.
	e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 200)
	close(mod.release)
	if got := <-done; got != 200 {
		t.Errorf("first request: %d", got)
	}
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"third"}`).mustStatus(t, 200)
}

func TestDeadline(t *testing.T) { eachStore(t, testDeadline) }

// A comment whose scoring outlives the request's deadline is answered 503
// and not stored, so the client's retry is the only copy.
func testDeadline(t *testing.T, st forewarn.Store) {
	mod := blockingModerator{started: make(chan struct{}), once: new(sync.Once), delay: 100 * time.Millisecond}
	e := newEnv(t, fwhttp.Config{Store: st, Moderator: mod, RequestTimeout: 50 * time.Millisecond})
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(t, 201)
	e.do("POST", "/v1/posts/loss-1/comments", publisherKey, `{"text":"you idiot","author":"a"}`, "Idempotency-Key", "slow").mustStatus(t, 503)
	depth, err := st.QueueDepth(context.Background())
	if err != nil || depth[forewarn.StatusHeld] != 0 {
		t.Errorf("timed-out comment stored: %v %v", depth, err)
	}
}

func TestAddrRateLimit(t *testing.T) {
	e := newEnv(t, fwhttp.Config{AddrRateLimit: 0.5, AddrRateBurst: 3})
	// Made-up keys count against the address before they are looked up.
	for i := range 3 {
		e.do("GET", "/v1/queue", fmt.Sprint("made-up-", i), "").mustStatus(t, 401)
	}
	r := e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 429)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	e.do("GET", "/healthz", "", "").mustStatus(t, 200)
}

// steppingScorer scores in steps of step, looking at the context between
// steps as the real moderator and detector do, and counts the steps taken.
type steppingScorer struct {
	fakeModerator
	fakeDetector
	step         time.Duration
	steps, taken *atomic.Int64
}

func (m steppingScorer) run(ctx context.Context) error {
	for range m.steps.Load() {
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(m.step)
		m.taken.Add(1)
	}
	return nil
}

func (m steppingScorer) DecideContext(ctx context.Context, p *forewarn.Post, text string) (forewarn.Verdict, error) {
	if err := m.run(ctx); err != nil {
		return forewarn.Verdict{}, err
	}
	return m.Decide(p, text), nil
}

func (m steppingScorer) NudgeContext(ctx context.Context, p *forewarn.Post, text string) (forewarn.Nudge, error) {
	if err := m.run(ctx); err != nil {
		return forewarn.Nudge{}, err
	}
	return m.Nudge(p, text), nil
}

func (m steppingScorer) WarnContext(ctx context.Context, text, style string) (forewarn.Warning, error) {
	if err := m.run(ctx); err != nil {
		return forewarn.Warning{}, fmt.Errorf("detect: %w", err)
	}
	return m.Warn(text, style)
}

func TestDeadlineStopsScoring(t *testing.T) { eachStore(t, testDeadlineStopsScoring) }

// A moderator or detector that can stop (forewarn.ContextModerator,
// forewarn.ContextDetector) is stopped when the request's deadline passes
// mid-scoring: the request gets 503 long before the scoring would have
// ended, and nothing is stored.
func testDeadlineStopsScoring(t *testing.T, st forewarn.Store) {
	const steps = 200 // 2 s of scoring at 10 ms a step, against a 100 ms deadline
	ctx := context.Background()
	if err := st.CreatePost(ctx, &forewarn.Post{ID: "loss-1", Text: "the funeral", Sensitive: true, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var n, taken atomic.Int64
	n.Store(steps)
	slow := steppingScorer{step: 10 * time.Millisecond, steps: &n, taken: &taken}
	e := newEnv(t, fwhttp.Config{Store: st, Moderator: slow, Detector: slow, RequestTimeout: 100 * time.Millisecond})
	for _, tt := range []struct{ name, path, body string }{
		{"comment", "/v1/posts/loss-1/comments", `{"text":"you idiot","author":"a"}`},
		{"nudge", "/v1/nudge", `{"text":"you idiot","post":"loss-1"}`},
		{"warning", "/v1/warnings", `{"text":"the funeral"}`},
		{"post", "/v1/posts", `{"id":"loss-2","text":"the funeral"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			taken.Store(0)
			r := e.do("POST", tt.path, publisherKey, tt.body, "Idempotency-Key", "slow-"+tt.name).mustStatus(t, 503)
			if r.header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			// The handler has returned, so the scorer has stopped.
			if n := taken.Load(); n == 0 || n >= steps/2 {
				t.Errorf("scorer took %d of %d steps before stopping; want some, and far fewer than all", n, steps)
			}
		})
	}
	depth, err := st.QueueDepth(context.Background())
	if err != nil || depth[forewarn.StatusHeld] != 0 {
		t.Errorf("timed-out comment stored: %v %v", depth, err)
	}
	if _, err := st.Post(ctx, "loss-2"); !errors.Is(err, forewarn.ErrNotFound) {
		t.Errorf("timed-out post stored: %v", err)
	}
	// The same requests within the deadline are scored and stored.
	n.Store(1)
	e.do("POST", "/v1/posts/loss-1/comments", publisherKey, `{"text":"you idiot","author":"a"}`, "Idempotency-Key", "fast").mustStatus(t, 201)
	e.do("POST", "/v1/posts", publisherKey, `{"id":"loss-2","text":"the funeral"}`).mustStatus(t, 201)
}
