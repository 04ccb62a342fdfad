package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

func TestSignVerify(t *testing.T) {
	body := []byte(`{"id":"ev_1","type":"comment.held"}`)
	at := time.Unix(1_800_000_000, 0)
	sig := Sign("whsec_a", at, body)
	tests := []struct {
		name   string
		secret string
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"valid", "whsec_a", sig, body, at, nil},
		{"within tolerance", "whsec_a", sig, body, at.Add(4 * time.Minute), nil},
		{"stale", "whsec_a", sig, body, at.Add(6 * time.Minute), ErrStale},
		{"from the future", "whsec_a", sig, body, at.Add(-6 * time.Minute), ErrStale},
		{"other secret", "whsec_b", sig, body, at, ErrBadSignature},
		{"changed body", "whsec_a", sig, []byte(`{"id":"ev_2","type":"comment.held"}`), at, ErrBadSignature},
		{"rotated secret among several", "whsec_a", Sign("whsec_old", at, body) + "," + sig[len("t=1800000000,"):], body, at, nil},
		{"empty", "whsec_a", "", body, at, ErrNoSignature},
		{"no v1", "whsec_a", "t=1800000000", body, at, ErrNoSignature},
		{"bad time", "whsec_a", "t=soon,v1=00", body, at, ErrNoSignature},
		{"other scheme only", "whsec_a", "t=1800000000,v0=" + sig[len("t=1800000000,v1="):], body, at, ErrNoSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Verify(tt.secret, tt.header, tt.body, tt.now, 0); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	body := []byte(`{"id":"ev_1"}`)
	at := time.Unix(1_800_000_000, 0)
	f.Add(Sign("s", at, body), []byte(`{"id":"ev_1"}`))
	f.Add("t=,v1=,v1=zz,,=", []byte{})
	f.Fuzz(func(t *testing.T, header string, b []byte) {
		err := Verify("s", header, b, at, 0)
		// Only the true signature of these bytes passes.
		if err == nil && Verify("s", Sign("s", at, b), b, at, 0) != nil {
			t.Fatalf("accepted %q", header)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	body := make([]byte, 2048)
	b.SetBytes(int64(len(body)))
	at := time.Unix(1_800_000_000, 0)
	for b.Loop() {
		Sign("whsec_0123456789abcdef0123456789abcdef", at, body)
	}
}

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "f.db"), slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// receiver is a site's endpoint on loopback that checks signatures and
// answers with the statuses it is told to, one per request, then 204.
type receiver struct {
	t      *testing.T
	secret string

	mu       sync.Mutex
	statuses []int
	got      []forewarn.Event
	attempts []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if err := Verify(rc.secret, r.Header.Get(SignatureHeader), b, time.Now(), 0); err != nil {
		rc.t.Errorf("delivery with a bad signature: %v", err)
		w.WriteHeader(400)
		return
	}
	var ev forewarn.Event
	if err := json.Unmarshal(b, &ev); err != nil || ev.ID != r.Header.Get(EventIDHeader) || string(ev.Type) != r.Header.Get(EventTypeHeader) {
		rc.t.Errorf("body %s does not match its headers %v", b, r.Header)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.attempts = append(rc.attempts, r.Header.Get(AttemptHeader))
	if len(rc.statuses) > 0 {
		st := rc.statuses[0]
		rc.statuses = rc.statuses[1:]
		w.WriteHeader(st)
		return
	}
	rc.got = append(rc.got, ev)
	w.WriteHeader(204)
}

func TestSenderRetriesThenDelivers(t *testing.T) {
	ctx := t.Context()
	db := openStore(t)
	rc := &receiver{t: t, statuses: []int{500, 503}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	hook := &forewarn.Webhook{URL: srv.URL}
	if err := db.CreateWebhook(ctx, hook); err != nil {
		t.Fatal(err)
	}
	rc.secret = hook.Secret
	c, _, err := db.CreateComment(ctx, &forewarn.Comment{PostID: "p", Author: "a", Text: "you are a disgrace", Decision: forewarn.Hold}, forewarn.IdempotencyKey{})
	if err != nil {
		t.Fatal(err)
	}
	// A fake clock makes the backoff due without waiting.
	var mu sync.Mutex
	now := time.Now()
	s := &Sender{Store: db, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }, Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}
	for i := 0; i < 3; i++ {
		if n, err := s.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("round %d: claimed %d, %v", i, n, err)
		}
		time.Sleep(20 * time.Millisecond) // past the backoff on the store's wall clock
	}
	if len(rc.got) != 1 || rc.got[0].Type != forewarn.EventHeld || rc.got[0].Data.Comment.ID != c.ID {
		t.Fatalf("received %+v", rc.got)
	}
	if got := rc.attempts; len(got) != 3 || got[0] != "1" || got[2] != "3" {
		t.Errorf("attempt headers %q", got)
	}
	log, err := db.Deliveries(ctx, forewarn.DeliveryFilter{})
	if err != nil || len(log) != 1 || log[0].State != forewarn.DeliveryDelivered || log[0].Attempts != 3 || log[0].LastStatus != 204 {
		t.Errorf("log %+v, %v", log, err)
	}
}

func TestSenderGivesUp(t *testing.T) {
	ctx := t.Context()
	db := openStore(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(410) }))
	defer srv.Close()
	if err := db.CreateWebhook(ctx, &forewarn.Webhook{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateComment(ctx, &forewarn.Comment{PostID: "p", Text: "hi", Decision: forewarn.Publish}, forewarn.IdempotencyKey{}); err != nil {
		t.Fatal(err)
	}
	s := &Sender{Store: db, MaxAttempts: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}
	for range 2 {
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, _ := s.RunOnce(ctx); n != 0 {
		t.Errorf("claimed %d after giving up", n)
	}
	log, _ := db.Deliveries(ctx, forewarn.DeliveryFilter{State: forewarn.DeliveryFailed})
	if len(log) != 1 || log[0].Attempts != 2 || log[0].LastStatus != 410 {
		t.Errorf("failed log %+v", log)
	}
}

func TestBackoff(t *testing.T) {
	s := &Sender{}
	s.defaults()
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	for i, w := range want {
		if got := s.backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := s.backoff(40); got != time.Hour {
		t.Errorf("backoff(40) = %v, want the cap", got)
	}
}
