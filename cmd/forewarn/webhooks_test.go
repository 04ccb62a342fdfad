package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/storetest"
	"github.com/forewarn/forewarn/webhook"
)

// buildForewarn builds the command into a temporary folder and returns the
// folder and the binary; it skips in -short mode.
func buildForewarn(t *testing.T) (dir, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the forewarn binary; skipped with -short")
	}
	dir = t.TempDir()
	bin = filepath.Join(dir, "forewarn")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir, bin
}

// hookReceiver is a site's webhook endpoint on loopback. It checks every
// signature and records each delivery; it answers slowly so that a kill
// finds deliveries in flight.
type hookReceiver struct {
	t      *testing.T
	secret func() string
	delay  time.Duration

	mu        sync.Mutex
	byComment map[string]map[string]int // comment id -> event id -> deliveries
	total     int
	bad       int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	time.Sleep(h.delay)
	if err := webhook.Verify(h.secret(), r.Header.Get(webhook.SignatureHeader), b, time.Now(), 0); err != nil {
		h.mu.Lock()
		h.bad++
		h.mu.Unlock()
		h.t.Errorf("delivery with a bad signature: %v", err)
		w.WriteHeader(400)
		return
	}
	var ev forewarn.Event
	if err := json.Unmarshal(b, &ev); err != nil || ev.Data.Comment == nil || ev.ID != r.Header.Get(webhook.EventIDHeader) {
		h.t.Errorf("delivery body %s: %v", b, err)
		w.WriteHeader(400)
		return
	}
	h.mu.Lock()
	if h.byComment[ev.Data.Comment.ID] == nil {
		h.byComment[ev.Data.Comment.ID] = map[string]int{}
	}
	h.byComment[ev.Data.Comment.ID][ev.ID]++
	h.total++
	h.mu.Unlock()
	w.WriteHeader(204)
}

func (h *hookReceiver) count() (comments, deliveries int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.byComment), h.total
}

// TestWebhooksAcrossKill stores 200 comments with a webhook registered,
// kills the server with SIGKILL while it delivers their events, starts it
// again and checks that every event arrives, signed, at least once, and
// that a repeat always carries the same event id.
func TestWebhooksAcrossKill(t *testing.T) {
	dir, bin := buildForewarn(t)
	t.Run("sqlite", func(t *testing.T) { testWebhooksAcrossKill(t, bin, filepath.Join(dir, "forewarn.db")) })
	t.Run("postgres", func(t *testing.T) { testWebhooksAcrossKill(t, bin, storetest.PostgresSchema(t)) })
}

func testWebhooksAcrossKill(t *testing.T, bin, db string) {
	// Each database's first start writes its own admin key beside bin.
	os.Remove(filepath.Join(filepath.Dir(bin), "admin.key"))
	var (
		secretMu sync.Mutex
		secret   string
	)
	rc := &hookReceiver{t: t, delay: 40 * time.Millisecond, byComment: map[string]map[string]int{},
		secret: func() string { secretMu.Lock(); defer secretMu.Unlock(); return secret }}
	site := httptest.NewServer(rc)
	defer site.Close()

	// A short receiver timeout keeps the lease, and so the wait for the
	// deliveries cut off by the kill, to a few seconds.
	p := startServe(t, bin, db, "--webhook-timeout", "1s")
	key := p.adminKey(t)
	a, err := call(p.url, key, "POST", "/v1/webhooks", fmt.Sprintf(`{"url":%q}`, site.URL), "")
	if err != nil || a.status != 201 {
		t.Fatalf("register webhook: %d %s %v", a.status, a.body, err)
	}
	var hook struct{ Secret string }
	json.Unmarshal(a.body, &hook)
	secretMu.Lock()
	secret = hook.Secret
	secretMu.Unlock()
	if a, err := call(p.url, key, "POST", "/v1/posts", `{"id":"p1","text":"Her funeral is on Monday."}`, ""); err != nil || a.status != 201 {
		t.Fatalf("create post: %d %s %v", a.status, a.body, err)
	}
	const n = 200
	texts := []string{"Thinking of you all.", "what an idiot", "So sorry, that is damn hard."}
	stored := map[string]bool{}
	for i := range n {
		a, err := call(p.url, key, "POST", "/v1/posts/p1/comments", fmt.Sprintf(`{"text":%q,"author":"r%d"}`, texts[i%len(texts)], i), fmt.Sprint("hook-", i))
		if err != nil || a.status != 201 {
			t.Fatalf("comment %d: %d %s %v", i, a.status, a.body, err)
		}
		stored[commentID(t, a.body)] = true
	}
	// Kill while deliveries are under way.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, _ := rc.count(); c >= n/5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no deliveries before the kill")
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	before, _ := rc.count()
	if before >= n {
		t.Fatalf("all %d events arrived before the kill; nothing was tested", before)
	}
	t.Logf("%d of %d comments' events arrived before the kill", before, n)

	p = startServe(t, bin, db, "--webhook-timeout", "1s")
	deadline = time.Now().Add(60 * time.Second)
	for {
		if c, _ := rc.count(); c >= n {
			break
		}
		if time.Now().After(deadline) {
			c, _ := rc.count()
			t.Fatalf("after the restart %d of %d comments' events arrived", c, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The log says so too, to a moderator.
	deadline = time.Now().Add(10 * time.Second)
	for {
		a, err := call(p.url, key, "GET", "/v1/webhooks/deliveries?state=pending", "", "")
		if err == nil && a.status == 200 && strings.Contains(string(a.body), `"deliveries":[]`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries still pending: %d %s %v", a.status, a.body, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()

	rc.mu.Lock()
	defer rc.mu.Unlock()
	dups := 0
	for id := range stored {
		events := rc.byComment[id]
		if len(events) != 1 {
			t.Errorf("comment %s: events %v, want exactly one event id", id, events)
		}
		for _, k := range events {
			dups += k - 1
		}
	}
	for id := range rc.byComment {
		if !stored[id] {
			t.Errorf("event for a comment never stored: %s", id)
		}
	}
	if rc.bad > 0 {
		t.Errorf("%d deliveries with a bad signature", rc.bad)
	}
	t.Logf("%d events delivered in %d deliveries (%d repeats, each with its event id)", len(rc.byComment), rc.total, dups)
}

// syncBuf is a bytes.Buffer the listener goroutine may write to.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestWebhooksCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	if _, _, err := run(t, "", "webhooks", "add", "--db", db, "http://127.0.0.1:9/"); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("add to a missing database: %v, want it refused", err)
	}
	if _, _, err := run(t, "", "keys", "create", "--create", "--role", "admin", "--db", db); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "", "webhooks", "add", "--db", db, "--events", "comment.support,comment.decided", "http://127.0.0.1:9/")
	secret := strings.TrimSpace(out)
	if err != nil || !strings.HasPrefix(secret, forewarn.WebhookSecretPrefix) {
		t.Fatalf("add: %q %v", out, err)
	}
	if _, _, err := run(t, "", "webhooks", "add", "--db", db, "--events", "comment.eaten", "http://x/"); err == nil || !strings.Contains(err.Error(), "comment.published, comment.held") {
		t.Errorf("bad event: %v, want the valid ones listed", err)
	}
	out, _, err = run(t, "", "webhooks", "list", "--db", db)
	fields := strings.Split(strings.TrimSpace(out), "\t")
	if err != nil || len(fields) != 3 || fields[1] != "http://127.0.0.1:9/" || fields[2] != "comment.support,comment.decided" {
		t.Fatalf("list: %q %v", out, err)
	}
	if _, _, err := run(t, "", "webhooks", "remove", "--db", db, fields[0]); err != nil {
		t.Errorf("remove: %v", err)
	}
	if out, _, _ := run(t, "", "webhooks", "list", "--db", db); out != "" {
		t.Errorf("list after remove: %q", out)
	}

	// listen checks signatures as a site must.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	m := NewMain()
	var stdout syncBuf
	m.Stdout, m.Stderr = &stdout, io.Discard
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- m.Run(ctx, []string{"webhooks", "listen", "--addr", addr, "--secret", secret}) }()
	body := []byte(`{"id":"ev_1","type":"comment.support","created_at":"2026-01-01T00:00:00Z","data":{"comment":{"id":"c_1","status":"support"}}}`)
	send := func(sig string) int {
		for range 100 {
			req, _ := http.NewRequest("POST", "http://"+addr+"/", bytes.NewReader(body))
			req.Header.Set(webhook.SignatureHeader, sig)
			req.Header.Set(webhook.EventIDHeader, "ev_1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				time.Sleep(20 * time.Millisecond) // not listening yet
				continue
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		t.Fatal("listen never answered")
		return 0
	}
	if st := send(webhook.Sign(secret, time.Now(), body)); st != 204 {
		t.Errorf("signed delivery answered %d", st)
	}
	if st := send(webhook.Sign("whsec_other", time.Now(), body)); st != 400 {
		t.Errorf("forged delivery answered %d", st)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("listen: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"verified":true`) || !strings.Contains(lines[0], `"comment":"c_1"`) || !strings.Contains(lines[1], `"verified":false`) {
		t.Errorf("listen printed:\n%s", stdout.String())
	}
}
