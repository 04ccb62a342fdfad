package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn/webhook"
)

// TestReadmeFirstHour follows "The first hour" of the README with the real
// binary: serve, a webhook registered with "webhooks add" and received by
// "webhooks listen", the README's post and comment, a decision, and the
// pages. The requests are the README's own, read from it, so that the
// walkthrough cannot drift from what the program does.
func TestReadmeFirstHour(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readme)
	for _, want := range []string{
		"go build -o forewarn ./cmd/forewarn",
		`./forewarn serve --support-number "988 (call or text, US)"`,
		`SECRET=$(./forewarn webhooks add http://127.0.0.1:9090/)`,
		`./forewarn webhooks listen --secret "$SECRET"`,
		"http://127.0.0.1:8080/moderate",
		"/demo/post?post=obit-1",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("README no longer says %s", want)
		}
	}
	bodies := regexp.MustCompile(`-d '([^']+)'`).FindAllStringSubmatch(doc, -1)
	if len(bodies) < 2 {
		t.Fatalf("README has %d curl bodies, want the post and the comment", len(bodies))
	}
	postBody, commentBody := bodies[0][1], bodies[1][1]

	dir, bin := buildForewarn(t)
	db := filepath.Join(dir, "forewarn.db")
	p := startServe(t, bin, db, "--support-number", "988 (call or text, US)")
	key := p.adminKey(t)
	if !strings.Contains(p.stdout, "988 (call or text, US)") || !strings.Contains(p.stdout, p.url+"/moderate") {
		t.Errorf("serve printed no support line or pages:\n%s", p.stdout)
	}

	// The receiver listens where the webhook points: a free port here
	// instead of the README's 9090.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hookAddr := ln.Addr().String()
	ln.Close()
	add := exec.Command(bin, "webhooks", "add", "--db", db, "http://"+hookAddr+"/")
	out, err := add.Output()
	if err != nil {
		t.Fatalf("webhooks add: %v", err)
	}
	secret := strings.TrimSpace(string(out))
	ctx, cancel := context.WithCancel(context.Background())
	listen := exec.CommandContext(ctx, bin, "webhooks", "listen", "--addr", hookAddr, "--secret", secret)
	listenOut, err := listen.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := listen.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); listen.Wait() }()
	events := make(chan webhook.Received, 16)
	go func() {
		sc := bufio.NewScanner(listenOut)
		for sc.Scan() {
			var l webhook.Received
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				events <- l
			}
		}
		close(events)
	}()
	next := func(want string) webhook.Received {
		t.Helper()
		select {
		case l := <-events:
			if !l.Verified || string(l.Type) != want {
				t.Fatalf("listen printed %+v, want a verified %s", l, want)
			}
			return l
		case <-time.After(30 * time.Second):
			t.Fatalf("no %s event reached webhooks listen", want)
		}
		return webhook.Received{}
	}

	a, err := call(p.url, key, "POST", "/v1/posts", postBody, "")
	if err != nil || a.status != 201 || !strings.Contains(string(a.body), "Warning: This article contains mentions of death and grief.") {
		t.Fatalf("the README's post: %d %s %v", a.status, a.body, err)
	}
	a, err = call(p.url, key, "POST", "/v1/posts/obit-1/comments", commentBody, "c-1")
	var c struct{ ID, Decision string }
	if err != nil || a.status != 201 || json.Unmarshal(a.body, &c) != nil || c.Decision != "hold" {
		t.Fatalf("the README's comment: %d %s %v", a.status, a.body, err)
	}
	if l := next("comment.held"); l.Comment != c.ID {
		t.Errorf("held event for %s, want %s", l.Comment, c.ID)
	}
	for _, page := range []string{"/moderate", "/demo/post?post=obit-1"} {
		resp, err := http.Get(p.url + page)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", page, resp, err)
		} else {
			resp.Body.Close()
		}
	}
	// What the moderator page's Approve button sends.
	if a, err := call(p.url, key, "POST", "/v1/comments/"+c.ID+"/decision", `{"action":"approve"}`, ""); err != nil || a.status != 200 {
		t.Fatalf("approve: %d %s %v", a.status, a.body, err)
	}
	if l := next("comment.decided"); l.Comment != c.ID || l.Action != "approve" || l.Status != "approved" {
		t.Errorf("decided event %+v", l)
	}
	a, err = call(p.url, key, "GET", "/v1/posts/obit-1/comments?status=published", "", "")
	if err != nil || !strings.Contains(string(a.body), c.ID) {
		t.Errorf("the approved comment is not in the published thread: %s %v", a.body, err)
	}
	log, err := exec.Command(bin, "webhooks", "deliveries", "--db", db).Output()
	if err != nil || strings.Count(string(log), "delivered after 1 attempts") != 2 {
		t.Errorf("webhooks deliveries:\n%s%v", log, err)
	}
}
