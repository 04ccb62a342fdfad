package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/nats/natstest"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func newIntake(t *testing.T, js jetstream.JetStream, cfg Config, store CommentReader) *Intake {
	t.Helper()
	in, err := NewIntake(t.Context(), IntakeConfig{Config: cfg, JetStream: js, Store: store, PublishTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func key(apiKey, k string) forewarn.IdempotencyKey {
	return forewarn.IdempotencyKey{KeyID: apiKey, Key: k}
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	s, err := js.Stream(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestIntakeReplay(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	in := newIntake(t, js, Config{}, newMemStore())
	ctx := t.Context()
	first, existed, err := in.CreateComment(ctx, newComment("p1", "thank you"), key("k1", "a"))
	if err != nil || existed {
		t.Fatalf("first: existed %v, err %v", existed, err)
	}
	if first.ID != CommentID(key("k1", "a")) {
		t.Errorf("ID %s, want the one derived from the key", first.ID)
	}
	tests := []struct {
		name, text string
		key        forewarn.IdempotencyKey
		existed    bool
	}{
		{"same key", "thank you", key("k1", "a"), true},
		{"same key, other text", "something else", key("k1", "a"), true},
		{"other API key", "thank you", key("k2", "a"), false},
		{"parts shifted", "thank you", key("k", "1a"), false},
		{"no key", "thank you", forewarn.IdempotencyKey{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, existed, err := in.CreateComment(ctx, newComment("p1", tc.text), tc.key)
			if err != nil {
				t.Fatal(err)
			}
			if existed != tc.existed {
				t.Errorf("existed %v, want %v", existed, tc.existed)
			}
			if tc.existed && (got.ID != first.ID || got.Text != first.Text) {
				t.Errorf("replay returned %s %q, want the first comment %s %q", got.ID, got.Text, first.ID, first.Text)
			}
			if !tc.existed && got.ID == first.ID {
				t.Errorf("new comment got the first comment's ID")
			}
		})
	}
	if n := streamMsgs(t, js, DefaultCommentsStream); n != 4 {
		t.Errorf("stream holds %d messages, want 4 (one per new key, one without)", n)
	}
}

// TestIntakeReplayAfterSave replays a key whose message a worker already
// saved and acknowledged: the answer comes from the store.
func TestIntakeReplayAfterSave(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	store := newMemStore()
	in := newIntake(t, js, Config{}, store)
	first, _, err := in.CreateComment(t.Context(), newComment("p1", "first"), key("k", "1"))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, js, store, WorkerConfig{})
	stop := runWorker(t, w)
	waitFor(t, 10*time.Second, "the comment saved", func() bool { return streamMsgs(t, js, DefaultCommentsStream) == 0 })
	stop()
	got, existed, err := in.CreateComment(t.Context(), newComment("p1", "second"), key("k", "1"))
	if err != nil || !existed || got.Text != first.Text {
		t.Fatalf("replay: %v %v %v, want the first comment", got, existed, err)
	}
}

func TestIntakeInvalid(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	in := newIntake(t, js, Config{}, nil)
	for _, c := range []*forewarn.Comment{
		newComment("p1", "nul \x00 byte"),
		newComment("p1", "bad utf-8 \xff"),
		newComment("", "no post"),
	} {
		if _, _, err := in.CreateComment(t.Context(), c, key("k", "1")); !errors.Is(err, forewarn.ErrInvalid) {
			t.Errorf("%q: err %v, want ErrInvalid", c.Text, err)
		}
	}
	if n := streamMsgs(t, js, DefaultCommentsStream); n != 0 {
		t.Errorf("stream holds %d messages, want none", n)
	}
}

// TestIntakeFull fills a small stream: the next comment is refused as
// unavailable with a retry time, and nothing taken in is dropped.
func TestIntakeFull(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	in := newIntake(t, js, Config{MaxMsgs: 3}, nil)
	for i := range 3 {
		if _, _, err := in.CreateComment(t.Context(), newComment("p1", "ok"), key("k", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := in.CreateComment(t.Context(), newComment("p1", "one too many"), key("k", "3"))
	var ue *forewarn.UnavailableError
	if !errors.Is(err, forewarn.ErrUnavailable) || !errors.As(err, &ue) || ue.RetryAfter <= 0 {
		t.Fatalf("err %v, want ErrUnavailable with a retry time", err)
	}
	if n := streamMsgs(t, js, DefaultCommentsStream); n != 3 {
		t.Errorf("stream holds %d messages, want the 3 taken in", n)
	}
	if got := testutil.ToFloat64(in.published.WithLabelValues("full")); got != 1 {
		t.Errorf("full counter %v, want 1", got)
	}
}

func TestEnsureStreamsErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, js jetstream.JetStream)
		cfg   Config
		want  string
	}{
		{"wrong retention", func(t *testing.T, js jetstream.JetStream) {
			if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: DefaultCommentsStream, Subjects: []string{"forewarn.comments.>"}}); err != nil {
				t.Fatal(err)
			}
		}, Config{}, "retention"},
		{"wrong subjects", func(t *testing.T, js jetstream.JetStream) {
			if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: DefaultCommentsStream, Subjects: []string{"other.>"}, Retention: jetstream.WorkQueuePolicy}); err != nil {
				t.Fatal(err)
			}
		}, Config{}, "subjects"},
		{"replicas beyond the cluster", func(*testing.T, jetstream.JetStream) {}, Config{Replicas: 3}, "3 replicas"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, js := connect(t, natstest.RunServer(t).ClientURL())
			tc.setup(t, js)
			err := EnsureStreams(t.Context(), js, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one naming %q", err, tc.want)
			}
		})
	}
	t.Run("limits updated", func(t *testing.T) {
		_, js := connect(t, natstest.RunServer(t).ClientURL())
		if err := EnsureStreams(t.Context(), js, Config{}); err != nil {
			t.Fatal(err)
		}
		if err := EnsureStreams(t.Context(), js, Config{MaxMsgs: 10}); err != nil {
			t.Fatal(err)
		}
		s, err := js.Stream(t.Context(), DefaultCommentsStream)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.CachedInfo().Config.MaxMsgs; got != 10 {
			t.Errorf("MaxMsgs %d, want 10", got)
		}
	})
}

func newWorker(t testing.TB, js jetstream.JetStream, store forewarn.BatchStore, cfg WorkerConfig) *Worker {
	t.Helper()
	cfg.JetStream, cfg.Store = js, store
	w, err := NewWorker(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// runWorker runs w until the returned stop is called (or t ends); stop
// returns Run's error.
func runWorker(t testing.TB, w *Worker) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var err error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			err = <-done
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// decided reads every event on the decided stream.
func decided(t *testing.T, js jetstream.JetStream) []DecidedEvent {
	t.Helper()
	n := streamMsgs(t, js, DefaultDecidedStream)
	s, err := js.Stream(t.Context(), DefaultDecidedStream)
	if err != nil {
		t.Fatal(err)
	}
	var out []DecidedEvent
	for seq := uint64(1); uint64(len(out)) < n; seq++ {
		m, err := s.GetMsg(t.Context(), seq)
		if err != nil {
			t.Fatal(err)
		}
		var e DecidedEvent
		if err := json.Unmarshal(m.Data, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestWorkerSavesAndPublishes(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	in := newIntake(t, js, Config{Partitions: 4}, nil)
	const n = 120
	for i := range n {
		if _, _, err := in.CreateComment(t.Context(), newComment(fmt.Sprint("p", i%7), fmt.Sprint("comment ", i)), key("k", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	store := newMemStore()
	w := newWorker(t, js, store, WorkerConfig{BatchSize: 16})
	stop := runWorker(t, w)
	waitFor(t, 10*time.Second, "all comments saved", func() bool { return store.len() == n })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if m := streamMsgs(t, js, DefaultCommentsStream); m != 0 {
		t.Errorf("%d comments left in the work queue after acknowledgement", m)
	}
	events := decided(t, js)
	if len(events) != n {
		t.Fatalf("%d decided events, want %d", len(events), n)
	}
	for _, e := range events {
		if want := store.byID[e.Comment.ID]; want == nil || want.Text != e.Comment.Text {
			t.Errorf("event for %s does not match the saved comment", e.Comment.ID)
		}
	}
	if store.saves >= n {
		t.Errorf("%d transactions for %d comments: no batching", store.saves, n)
	}
	if got := testutil.ToFloat64(w.saved.WithLabelValues("inserted")); got != n {
		t.Errorf("inserted counter %v, want %d", got, n)
	}
}

// TestWorkerStoreDown: while the store fails, nothing is acknowledged;
// once it is back, everything is saved.
func TestWorkerStoreDown(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	in := newIntake(t, js, Config{}, nil)
	store := newMemStore()
	store.fail = errors.New("database down")
	w := newWorker(t, js, store, WorkerConfig{BatchSize: 8})
	runWorker(t, w)
	for i := range 20 {
		if _, _, err := in.CreateComment(t.Context(), newComment("p", fmt.Sprint(i)), key("k", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if m := streamMsgs(t, js, DefaultCommentsStream); m != 20 {
		t.Fatalf("%d comments in the stream while the store is down, want 20", m)
	}
	store.mu.Lock()
	store.fail = nil
	store.mu.Unlock()
	waitFor(t, 10*time.Second, "all comments saved", func() bool { return store.len() == 20 })
}

// TestWorkerKilled kills a worker after its batch committed and before it
// acknowledged: another worker gets the batch again, saves nothing new and
// publishes no second event.
func TestWorkerKilled(t *testing.T) {
	node := natstest.RunServer(t)
	_, js := connect(t, node.ClientURL())
	in := newIntake(t, js, Config{}, nil)
	const n = 40
	for i := range n {
		if _, _, err := in.CreateComment(t.Context(), newComment("p", fmt.Sprint(i)), key("k", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	store := newMemStore()
	nc1, js1 := connect(t, node.ClientURL())
	cfg := WorkerConfig{BatchSize: 10, AckWait: time.Second}
	w1 := newWorker(t, js1, store, cfg)
	w1.hook = func(stage string) {
		if stage == "committed" {
			w1.killed.Store(true)
			nc1.Close()
		}
	}
	done := make(chan error, 1)
	go func() { done <- w1.Run(context.Background()) }()
	select {
	case err := <-done:
		if !errors.Is(err, errKilled) {
			t.Fatalf("killed worker returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the worker was not killed")
	}
	if store.len() == 0 {
		t.Fatal("the killed worker committed nothing")
	}
	_, js2 := connect(t, node.ClientURL())
	w2 := newWorker(t, js2, store, cfg)
	runWorker(t, w2)
	waitFor(t, 15*time.Second, "the work queue emptied", func() bool { return streamMsgs(t, js, DefaultCommentsStream) == 0 })
	if store.len() != n {
		t.Errorf("%d comments saved, want %d", store.len(), n)
	}
	if got := testutil.ToFloat64(w2.saved.WithLabelValues("existing")); got == 0 {
		t.Error("the second worker saw no comment already saved: the kill did not leave a batch unacknowledged")
	}
	if got := testutil.ToFloat64(w2.redelivered); got == 0 {
		t.Error("no redelivery counted")
	}
	if events := decided(t, js); len(events) != n {
		t.Errorf("%d decided events, want %d", len(events), n)
	}
}

// TestWorkerPartitions: workers owning disjoint partitions each save only
// the comments of their partitions, together all of them; a worker whose
// partitions overlap theirs cannot start.
func TestWorkerPartitions(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	cfg := Config{Partitions: 4}
	in := newIntake(t, js, cfg, nil)
	const n = 60
	for i := range n {
		if _, _, err := in.CreateComment(t.Context(), newComment(fmt.Sprint("p", i%11), fmt.Sprint(i)), key("k", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	owners := [][]int{{0, 1}, {3, 2}}
	stores := []*memStore{newMemStore(), newMemStore()}
	for i, own := range owners {
		runWorker(t, newWorker(t, js, stores[i], WorkerConfig{Config: cfg, Own: own, BatchSize: 8}))
	}
	waitFor(t, 10*time.Second, "every comment saved", func() bool { return stores[0].len()+stores[1].len() == n })
	for i, s := range stores {
		if s.len() == 0 {
			t.Errorf("worker %d saved nothing", i)
		}
		for _, c := range s.byID {
			if p := cfg.Partition(c.PostID); !slices.Contains(owners[i], p) {
				t.Errorf("worker owning %v saved a comment of partition %d", owners[i], p)
			}
		}
	}
	for _, tc := range []struct {
		own  []int
		want string
	}{{[]int{1, 2}, "filtered consumer not unique"}, {nil, "non-filtered consumers not allowed"}, {[]int{4}, "partition 4"}} {
		_, err := NewWorker(t.Context(), WorkerConfig{Config: cfg, JetStream: js, Store: newMemStore(), Own: tc.own})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("own %v: err %v, want one saying %q", tc.own, err, tc.want)
		}
	}
}

// TestWorkerDrain stops a worker while it holds messages: it saves and
// acknowledges everything it received before Run returns, and what it had
// not received stays in the stream for the next worker.
func TestWorkerDrain(t *testing.T) {
	_, js := connect(t, natstest.RunServer(t).ClientURL())
	in := newIntake(t, js, Config{}, nil)
	const n = 300
	for i := range n {
		if _, _, err := in.CreateComment(t.Context(), newComment("p", fmt.Sprint(i)), key("k", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	store := newMemStore()
	store.delay = 50 * time.Millisecond
	w := newWorker(t, js, store, WorkerConfig{BatchSize: 10})
	stop := runWorker(t, w)
	waitFor(t, 10*time.Second, "a first batch", func() bool { return store.len() > 0 })
	if err := stop(); err != nil {
		t.Fatalf("Run after drain: %v", err)
	}
	// The server applies acknowledgements a moment after it has them, far
	// sooner than the ack wait (30 s) after which it would redeliver.
	var left uint64
	waitFor(t, 2*time.Second, "every delivered message acknowledged", func() bool {
		info, err := w.cons.Info(t.Context())
		left = streamMsgs(t, js, DefaultCommentsStream)
		return err == nil && info.NumAckPending == 0 && store.len()+int(left) == n
	})
	if store.len() == n || left == 0 {
		t.Errorf("the drain saved all %d comments: the test stopped the worker too late to check it", n)
	}
}
