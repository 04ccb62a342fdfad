package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/forewarn/forewarn/nats/natstest"
	"github.com/forewarn/forewarn/storetest"
	"github.com/jackc/pgx/v5"
)

// TestServeNATS runs "serve --nats" and "worker" as processes on an
// in-process NATS node and PostgreSQL: comments answered 201 reach the
// database through the worker, which stops cleanly on SIGTERM.
func TestServeNATS(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	dir, bin := buildForewarn(t)
	node := natstest.RunServer(t)
	p := startServe(t, bin, dsn, "--nats", node.ClientURL())
	key := p.adminKey(t)
	if a, err := call(p.url, key, "POST", "/v1/posts", `{"id":"p1","text":"Her funeral is on Monday."}`, ""); err != nil || a.status != 201 {
		t.Fatalf("create post: %d %s %v", a.status, a.body, err)
	}
	const n = 40
	for i := range n {
		body := fmt.Sprintf(`{"text":"I am so sorry for your loss, %d","author":"reader"}`, i)
		if a, err := call(p.url, key, "POST", "/v1/posts/p1/comments", body, fmt.Sprint("k", i)); err != nil || a.status != 201 {
			t.Fatalf("comment %d: %d %s %v", i, a.status, a.body, err)
		}
	}
	log := filepath.Join(dir, "worker.log")
	logf, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	w := exec.Command(bin, "worker", "--nats", node.ClientURL(), "--db", dsn, "--batch", "16", "--metrics-addr", "127.0.0.1:0")
	w.Stderr = logf
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Process.Kill(); w.Wait() })
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	count := 0
	for deadline := time.Now().Add(30 * time.Second); count < n && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM comments`).Scan(&count); err != nil {
			t.Fatal(err)
		}
	}
	if count != n {
		t.Fatalf("%d comments saved, want %d", count, n)
	}
	b, _ := os.ReadFile(log)
	m := regexp.MustCompile(`msg="serving metrics" addr=(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("worker log names no metrics address:\n%s", b)
	}
	resp, err := http.Get("http://" + string(m[1]) + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`forewarn_worker_comments_total{result="inserted"} 40`, "forewarn_queue_lag_messages 0", "forewarn_queue_redelivered_messages 0"} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("worker /metrics lacks %s", want)
		}
	}
	w.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- w.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("worker exited with %v after SIGTERM", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("worker did not stop on SIGTERM")
	}
	if b, _ := os.ReadFile(log); !strings.Contains(string(b), "worker drained") {
		t.Errorf("worker log lacks the drain:\n%s", b)
	}
	if a, _ := call(p.url, key, "GET", "/metrics", "", ""); !strings.Contains(string(a.body), `forewarn_intake_published_total{result="accepted"} 40`) {
		t.Errorf("serve /metrics lacks the published comments")
	}
}
