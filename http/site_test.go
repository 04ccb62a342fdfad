package http_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

func TestVersionAndSupport(t *testing.T) {
	want := forewarn.SupportInfo{Text: "Please call 988 today.", Number: "988", FollowUp: false}
	e := newEnv(t, fwhttp.Config{Support: want})
	var v forewarn.Version
	e.do("GET", "/v1/version", "", "").mustStatus(t, 200).json(t, &v)
	if v != forewarn.BuildVersion() {
		t.Errorf("version %+v, want %+v", v, forewarn.BuildVersion())
	}
	tests := []struct {
		key  string
		want int
	}{{publisherKey, 200}, {adminKey, 200}, {moderatorKey, 403}, {"", 401}}
	for _, tt := range tests {
		r := e.do("GET", "/v1/support", tt.key, "").mustStatus(t, tt.want)
		if tt.want != 200 {
			continue
		}
		var got forewarn.SupportInfo
		r.json(t, &got)
		if got != want {
			t.Errorf("support %+v, want %+v", got, want)
		}
	}
}

func TestAccessLog(t *testing.T) {
	var log syncBuffer
	e := newEnv(t, fwhttp.Config{AccessLog: &log})
	e.do("GET", "/healthz", "", "").mustStatus(t, 200)
	e.do("POST", "/v1/warnings", "", `{"text":"x"}`).mustStatus(t, 401)
	e.do("POST", "/v1/warnings", publisherKey, `{"text":"A quiet day."}`).mustStatus(t, 200)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	want := []struct {
		method, path string
		status       int
	}{{"GET", "/healthz", 200}, {"POST", "/v1/warnings", 401}, {"POST", "/v1/warnings", 200}}
	if len(lines) != len(want) {
		t.Fatalf("access log has %d lines, want %d:\n%s", len(lines), len(want), log.String())
	}
	for i, w := range want {
		var got struct {
			Method, Path, Remote string
			Status               int
			Bytes                int64
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if got.Method != w.method || got.Path != w.path || got.Status != w.status || got.Bytes == 0 || got.Remote != "127.0.0.1" {
			t.Errorf("line %d = %s, want %s %s %d", i, lines[i], w.method, w.path, w.status)
		}
		if strings.Contains(lines[i], publisherKey) {
			t.Errorf("line %d holds the key: %s", i, lines[i])
		}
	}
}

// comment posts a comment and returns its id.
func (e *env) comment(post, text string) string {
	e.t.Helper()
	var c commentOut
	e.do("POST", "/v1/posts/"+post+"/comments", publisherKey, fmt.Sprintf(`{"text":%q,"author":"Sam"}`, text),
		"Idempotency-Key", fmt.Sprintf("k-%d", time.Now().UnixNano())).mustStatus(e.t, 201).json(e.t, &c)
	return c.ID
}

func TestPostReadEditDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, st forewarn.Store) {
		e := newEnv(t, fwhttp.Config{Store: st})
		e.do("POST", "/v1/posts", publisherKey, `{"id":"obit","text":"A quiet day."}`).mustStatus(t, 201)
		var p forewarn.Post
		for _, k := range []string{publisherKey, moderatorKey, adminKey} {
			e.do("GET", "/v1/posts/obit", k, "").mustStatus(t, 200).json(t, &p)
			if p.Text != "A quiet day." || p.Line != "" || p.Sensitive || p.Topics == nil {
				t.Errorf("read %+v", p)
			}
		}
		e.do("GET", "/v1/posts/obit", "", "").mustStatus(t, 401)
		e.do("GET", "/v1/posts/nope", publisherKey, "").mustStatus(t, 404)
		// Editing detects the topics again and new comments meet the new text.
		e.do("PUT", "/v1/posts/obit", publisherKey, `{"text":"The funeral was small."}`).mustStatus(t, 200).json(t, &p)
		e.do("GET", "/v1/posts/obit", publisherKey, "").mustStatus(t, 200).json(t, &p)
		if p.Text != "The funeral was small." || p.Line == "" || !p.Sensitive {
			t.Errorf("after edit %+v", p)
		}
		var c commentOut
		e.do("POST", "/v1/posts/obit/comments", publisherKey, `{"text":"what an attention seeker","author":"X"}`, "Idempotency-Key", "edit-1").mustStatus(t, 201).json(t, &c)
		if c.Decision != forewarn.Hold {
			t.Errorf("a comment on the edited, sensitive post was %s", c.Decision)
		}
		e.do("PUT", "/v1/posts/obit", moderatorKey, `{"text":"x"}`).mustStatus(t, 403)
		e.do("PUT", "/v1/posts/nope", publisherKey, `{"text":"x"}`).mustStatus(t, 404)
		e.do("PATCH", "/v1/posts/obit", publisherKey, `{"text":"x"}`).mustStatus(t, 405)
		e.do("DELETE", "/v1/posts/obit", publisherKey, "").mustStatus(t, 204)
		e.do("GET", "/v1/posts/obit", publisherKey, "").mustStatus(t, 404)
		e.do("DELETE", "/v1/posts/obit", publisherKey, "").mustStatus(t, 404)
		e.do("POST", "/v1/posts/obit/comments", publisherKey, `{"text":"hello","author":"X"}`, "Idempotency-Key", "edit-2").mustStatus(t, 404)
		// The comment stays for the record.
		e.do("GET", "/v1/comments/"+c.ID, moderatorKey, "").mustStatus(t, 200)
	})
}

func TestListComments(t *testing.T) {
	eachStore(t, func(t *testing.T, st forewarn.Store) {
		e := newEnv(t, fwhttp.Config{Store: st})
		e.do("POST", "/v1/posts", publisherKey, `{"id":"thread","text":"A quiet day."}`).mustStatus(t, 201)
		var published []string
		for i := range 5 {
			published = append(published, e.comment("thread", fmt.Sprint("kind words ", i)))
		}
		held := e.comment("thread", "you idiot")
		support := e.comment("thread", "I want to hurt myself")
		// A publisher pages through the published thread.
		var got []string
		cursor := ""
		for range 10 {
			var page struct {
				Comments []forewarn.Comment
				Next     string
			}
			q := "?limit=2"
			if cursor != "" {
				q += "&cursor=" + cursor
			}
			e.do("GET", "/v1/posts/thread/comments"+q, publisherKey, "").mustStatus(t, 200).json(t, &page)
			for _, c := range page.Comments {
				got = append(got, c.ID)
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if strings.Join(got, ",") != strings.Join(published, ",") {
			t.Errorf("paged %v, want %v", got, published)
		}
		// Approving the held comment publishes it at the end of the thread.
		e.do("POST", "/v1/comments/"+held+"/decision", moderatorKey, `{"action":"approve"}`).mustStatus(t, 200)
		var page struct{ Comments []forewarn.Comment }
		e.do("GET", "/v1/posts/thread/comments?status=published", publisherKey, "").mustStatus(t, 200).json(t, &page)
		if n := len(page.Comments); n != 6 || page.Comments[5].ID != held {
			t.Errorf("after approval %d comments", n)
		}
		// What readers must not see needs a moderator.
		e.do("GET", "/v1/posts/thread/comments?status=support", publisherKey, "").mustStatus(t, 403)
		e.do("GET", "/v1/posts/thread/comments?status=support", moderatorKey, "").mustStatus(t, 200).json(t, &page)
		if len(page.Comments) != 1 || page.Comments[0].ID != support {
			t.Errorf("support listing %+v", page.Comments)
		}
		e.strict = false
		for _, q := range []string{"?status=lost", "?cursor=%21%21", "?limit=0", "?limit=2&limit=3", "?sort=new"} {
			e.do("GET", "/v1/posts/thread/comments"+q, moderatorKey, "").mustStatus(t, 400)
		}
		e.strict = true
		e.do("GET", "/v1/posts/nope/comments", publisherKey, "").mustStatus(t, 404)
		// A comment and its audit trail.
		var c forewarn.Comment
		e.do("GET", "/v1/comments/"+support, publisherKey, "").mustStatus(t, 200).json(t, &c)
		if c.Status != forewarn.StatusSupport {
			t.Errorf("comment %+v", c)
		}
		e.do("POST", "/v1/comments/"+support+"/decision", moderatorKey, `{"action":"reached-out","note":"emailed them"}`).mustStatus(t, 200)
		e.do("POST", "/v1/comments/"+support+"/decision", moderatorKey, `{"action":"resolved"}`).mustStatus(t, 200)
		e.do("POST", "/v1/comments/"+published[0]+"/decision", moderatorKey, `{"action":"escalated"}`).mustStatus(t, 409)
		var audit struct{ Entries []forewarn.AuditEntry }
		e.do("GET", "/v1/comments/"+support+"/audit", moderatorKey, "").mustStatus(t, 200).json(t, &audit)
		if len(audit.Entries) != 2 || audit.Entries[0].Action != forewarn.ReachedOut || audit.Entries[0].Note != "emailed them" || audit.Entries[1].To != forewarn.StatusResolved {
			t.Errorf("audit %+v", audit.Entries)
		}
		e.do("GET", "/v1/comments/"+support+"/audit", publisherKey, "").mustStatus(t, 403)
		e.do("GET", "/v1/comments/c_missing", publisherKey, "").mustStatus(t, 404)
	})
}

func TestWebhookEndpoints(t *testing.T) {
	eachStore(t, func(t *testing.T, st forewarn.Store) {
		e := newEnv(t, fwhttp.Config{Store: st})
		e.do("POST", "/v1/webhooks", publisherKey, `{"url":"https://site.example/h"}`).mustStatus(t, 403)
		var h struct {
			ID, URL, Secret string
			Events          []string
		}
		e.do("POST", "/v1/webhooks", adminKey, `{"url":"https://site.example/h","events":["comment.support","comment.decided"]}`).mustStatus(t, 201).json(t, &h)
		if !strings.HasPrefix(h.Secret, forewarn.WebhookSecretPrefix) || len(h.Events) != 2 {
			t.Errorf("created %+v", h)
		}
		e.strict = false
		e.do("POST", "/v1/webhooks", adminKey, `{"url":"ftp://site.example/h"}`).mustStatus(t, 400)
		e.do("POST", "/v1/webhooks", adminKey, `{"url":"https://site.example/h","events":["comment.eaten"]}`).mustStatus(t, 400)
		e.strict = true
		var list struct{ Webhooks []map[string]any }
		e.do("GET", "/v1/webhooks", adminKey, "").mustStatus(t, 200).json(t, &list)
		if len(list.Webhooks) != 1 || list.Webhooks[0]["secret"] != nil {
			t.Errorf("list %+v", list)
		}
		e.do("POST", "/v1/posts", publisherKey, `{"id":"p","text":"A quiet day."}`).mustStatus(t, 201)
		e.comment("p", "kind words") // not subscribed
		sup := e.comment("p", "I want to hurt myself")
		var log struct{ Deliveries []forewarn.Delivery }
		e.do("GET", "/v1/webhooks/deliveries", moderatorKey, "").mustStatus(t, 200).json(t, &log)
		if len(log.Deliveries) != 1 || log.Deliveries[0].CommentID != sup || log.Deliveries[0].EventType != forewarn.EventSupport || log.Deliveries[0].State != forewarn.DeliveryPending {
			t.Errorf("log %+v", log.Deliveries)
		}
		e.do("GET", "/v1/webhooks/deliveries?state=failed", moderatorKey, "").mustStatus(t, 200).json(t, &log)
		if len(log.Deliveries) != 0 {
			t.Errorf("failed log %+v", log.Deliveries)
		}
		e.do("GET", "/v1/webhooks/deliveries", publisherKey, "").mustStatus(t, 403)
		e.do("DELETE", "/v1/webhooks/"+h.ID, adminKey, "").mustStatus(t, 204)
		e.do("DELETE", "/v1/webhooks/"+h.ID, adminKey, "").mustStatus(t, 404)
	})
}

func TestServesOpenAPI(t *testing.T) {
	e := newEnv(t, fwhttp.Config{})
	// Fetched directly: the validator cannot read YAML as a string body.
	resp, err := nethttp.Get(e.url + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	want, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") || !bytes.Equal(got, want) {
		t.Error("served description differs from openapi.yaml")
	}
}

// TestQueueSupportFirst checks that a commenter who may be at risk comes
// before the held comments, however old they are, and that the limit
// counts both.
func TestQueueSupportFirst(t *testing.T) {
	eachStore(t, func(t *testing.T, st forewarn.Store) {
		e := newEnv(t, fwhttp.Config{Store: st})
		e.do("POST", "/v1/posts", publisherKey, `{"id":"q","text":"A quiet day."}`).mustStatus(t, 201)
		h1 := e.comment("q", "you idiot")
		h2 := e.comment("q", "what an idiot")
		s1 := e.comment("q", "I want to hurt myself")
		s2 := e.comment("q", "some days I hurt myself")
		tests := []struct {
			query string
			want  []string
		}{
			{"", []string{s1, s2, h1, h2}},
			{"?limit=3", []string{s1, s2, h1}},
			{"?limit=1", []string{s1}},
			{"?status=held", []string{h1, h2}},
			{"?post=q&limit=50", []string{s1, s2, h1, h2}},
		}
		for _, tt := range tests {
			var q struct{ Comments []forewarn.Comment }
			e.do("GET", "/v1/queue"+tt.query, moderatorKey, "").mustStatus(t, 200).json(t, &q)
			var got []string
			for _, c := range q.Comments {
				got = append(got, c.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("queue%s = %v, want %v", tt.query, got, tt.want)
			}
		}
	})
}
