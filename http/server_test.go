package http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Keys the test server knows.
const (
	publisherKey = "pub-secret-0123456789"
	moderatorKey = "mod-secret-0123456789"
	adminKey     = "adm-secret-0123456789"
)

// spec loads and validates openapi.yaml once.
var spec = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../openapi.yaml")
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	doc.Servers = nil // match any host, the test server listens on a random port
	return legacy.NewRouter(doc)
})

func TestOpenAPIValid(t *testing.T) {
	if _, err := spec(); err != nil {
		t.Fatal(err)
	}
}

// env is a running server with a store, and a client that checks every
// request and response against openapi.yaml.
type env struct {
	t     testing.TB
	url   string
	store forewarn.Store
	srv   *fwhttp.Server
	// strict also validates requests; the bad-input tests turn it off
	// because their requests break the spec on purpose.
	strict bool
}

func newEnv(t testing.TB, cfg fwhttp.Config) *env {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = openSQLite(t)
	}
	if cfg.Detector == nil {
		cfg.Detector = fakeDetector{}
	}
	if cfg.Moderator == nil {
		cfg.Moderator = fakeModerator{}
	}
	ctx := context.Background()
	for _, k := range []struct {
		id, secret string
		role       forewarn.Role
	}{{"k-pub", publisherKey, forewarn.RolePublisher}, {"k-mod", moderatorKey, forewarn.RoleModerator}, {"k-adm", adminKey, forewarn.RoleAdmin}} {
		h := sha256.Sum256([]byte(k.secret))
		if err := cfg.Store.CreateKey(ctx, &forewarn.Key{ID: k.id, Role: k.role, CreatedAt: time.Now()}, h[:]); err != nil {
			t.Fatal(err)
		}
	}
	srv := fwhttp.NewServer(cfg)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	for srv.Addr() == nil { // Open returns before Serve records the listener
		time.Sleep(time.Millisecond)
	}
	t.Cleanup(func() {
		if err := srv.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return &env{t: t, url: srv.URL(), store: cfg.Store, srv: srv, strict: true}
}

// response is a decoded answer.
type response struct {
	status int
	header nethttp.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request with a JSON content type (unless headers say
// otherwise) and validates the exchange against the spec.
func (e *env) do(method, path, key, body string, headers ...string) response {
	e.t.Helper()
	req, err := nethttp.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Transfer-Encoding" {
			req.ContentLength = -1 // the client then streams the body in chunks
			req.TransferEncoding = []string{headers[i+1]}
			continue
		}
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	router, err := spec()
	if err != nil {
		e.t.Fatal(err)
	}
	var in *openapi3filter.RequestValidationInput
	if route, params, err := router.FindRoute(req); err == nil {
		// Validate on a copy so that the body still reaches the server.
		vreq := req.Clone(context.Background())
		vreq.Body = io.NopCloser(strings.NewReader(body))
		in = &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		if e.strict {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				e.t.Errorf("%s %s: request breaks openapi.yaml: %v", method, path, err)
			}
		}
	}
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if in != nil {
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Body: io.NopCloser(bytes.NewReader(b)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			e.t.Errorf("%s %s: response %d %s breaks openapi.yaml: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// mustStatus fails unless r has the given status.
func (r response) mustStatus(t testing.TB, want int) response {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	return r
}

type postOut struct {
	ID        string           `json:"id"`
	Line      string           `json:"line"`
	Topics    []forewarn.Topic `json:"topics"`
	Sensitive bool             `json:"sensitive"`
}

type commentOut struct {
	ID       string              `json:"id"`
	Post     string              `json:"post"`
	Decision forewarn.Decision   `json:"decision"`
	Status   forewarn.Status     `json:"status"`
	Reasons  []string            `json:"reasons"`
	Evidence []forewarn.Evidence `json:"evidence"`
	Support  string              `json:"support"`
}

const griefPost = `{"id":"loss-1","text":"We said goodbye to our son at his funeral on Friday. Thank you for the flowers."}`

func TestFlow(t *testing.T) { eachStore(t, testFlow) }

func testFlow(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st})
	var h struct{ Status string }
	e.do("GET", "/healthz", "", "").mustStatus(t, 200).json(t, &h)
	if h.Status != "ok" {
		t.Errorf("healthz %+v", h)
	}
	e.do("GET", "/readyz", "", "").mustStatus(t, 200)

	var w struct {
		Line      string
		Topics    []forewarn.Topic
		Sensitive bool
	}
	e.do("POST", "/v1/warnings", publisherKey, `{"text":"The election results are in.","style":"plain"}`).mustStatus(t, 200).json(t, &w)
	if w.Line != "Content warning: politics." || w.Sensitive {
		t.Errorf("warning %+v", w)
	}

	var p postOut
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(t, 201).json(t, &p)
	if p.ID != "loss-1" || !p.Sensitive || len(p.Topics) != 1 || p.Topics[0].ID != "grief" {
		t.Errorf("post %+v", p)
	}
	var anon postOut
	e.do("POST", "/v1/posts", adminKey, `{"text":"A short note about gardening."}`).mustStatus(t, 201).json(t, &anon)
	if anon.ID == "" || anon.Sensitive || anon.Line != "" {
		t.Errorf("post without id %+v", anon)
	}

	tests := []struct {
		text     string
		decision forewarn.Decision
	}{
		{"So sorry for your loss, he was a damn fine kid.", forewarn.Publish},
		{"What an attention seeker, posting this.", forewarn.Hold},
		{"You are not an attention seeker, you are grieving.", forewarn.Publish},
		{"Some days I want to hurt myself too.", forewarn.Support},
	}
	held := map[string]commentOut{}
	for i, tt := range tests {
		var c commentOut
		e.do("POST", "/v1/posts/loss-1/comments", publisherKey, fmt.Sprintf(`{"text":%q,"author":"reader %d"}`, tt.text, i),
			"Idempotency-Key", fmt.Sprint("flow-", i)).mustStatus(t, 201).json(t, &c)
		if c.Decision != tt.decision || c.Post != "loss-1" || c.Status != forewarn.StatusFor(tt.decision) {
			t.Errorf("%q: got %+v, want %s", tt.text, c, tt.decision)
		}
		if (c.Support != "") != (tt.decision == forewarn.Support) {
			t.Errorf("%q: support text %q", tt.text, c.Support)
		}
		if c.Decision != forewarn.Publish {
			held[c.ID] = c
		}
	}

	var n forewarn.Nudge
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"What an attention seeker.","post":"loss-1"}`).mustStatus(t, 200).json(t, &n)
	if !n.Nudge || n.Message == "" || len(n.Evidence) != 1 {
		t.Errorf("nudge %+v", n)
	}
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"What an attention seeker."}`).mustStatus(t, 200).json(t, &n)
	if n.Nudge {
		t.Errorf("nudge without the sensitive post's context %+v", n)
	}

	var q struct{ Comments []forewarn.Comment }
	e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 200).json(t, &q)
	if len(q.Comments) != len(held) {
		t.Fatalf("queue has %d comments, want %d", len(q.Comments), len(held))
	}
	e.do("GET", "/v1/queue?status=support&post=loss-1&limit=10", adminKey, "").mustStatus(t, 200).json(t, &q)
	if len(q.Comments) != 1 || q.Comments[0].Status != forewarn.StatusSupport {
		t.Fatalf("support queue %+v", q.Comments)
	}

	var c forewarn.Comment
	id := q.Comments[0].ID
	e.do("POST", "/v1/comments/"+id+"/decision", moderatorKey, `{"action":"approve","note":"reached out privately"}`).mustStatus(t, 200).json(t, &c)
	if c.Status != forewarn.StatusApproved || c.ID != id {
		t.Errorf("decided %+v", c)
	}
	audit, err := e.store.Audit(context.Background(), id)
	if err != nil || len(audit) != 1 || audit[0].Actor != "k-mod" || audit[0].Action != forewarn.Approve || audit[0].Note != "reached out privately" {
		t.Errorf("audit %+v %v", audit, err)
	}
	e.do("POST", "/v1/comments/"+id+"/decision", moderatorKey, `{"action":"reject"}`).mustStatus(t, 409)
	e.do("GET", "/v1/queue?status=support", moderatorKey, "").mustStatus(t, 200).json(t, &q)
	if len(q.Comments) != 0 {
		t.Errorf("decided comment still queued: %+v", q.Comments)
	}

	e.do("GET", "/metrics", "", "").mustStatus(t, 401)
	e.do("GET", "/metrics", moderatorKey, "").mustStatus(t, 403)
	m := e.do("GET", "/metrics", adminKey, "").mustStatus(t, 200)
	for _, want := range []string{
		`forewarn_comment_decisions_total{decision="hold"} 1`,
		`forewarn_comment_decisions_total{decision="support"} 1`,
		`forewarn_queue_depth{status="held"} 1`,
		`forewarn_queue_depth{status="support"} 0`,
		`forewarn_http_requests_total{code="201",route="comments"} 4`,
		`forewarn_http_request_duration_seconds_count{code="200",route="queue"}`,
	} {
		if !bytes.Contains(m.body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestIdempotency(t *testing.T) { eachStore(t, testIdempotency) }

func testIdempotency(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st})
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(t, 201)
	body := `{"text":"Thinking of you, you idiot, in the best way.","author":"sam"}`
	first := e.do("POST", "/v1/posts/loss-1/comments", publisherKey, body, "Idempotency-Key", "k1").mustStatus(t, 201)
	for range 3 {
		again := e.do("POST", "/v1/posts/loss-1/comments", publisherKey, body, "Idempotency-Key", "k1").mustStatus(t, 200)
		if !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay %s, want %s", again.body, first.body)
		}
	}
	// The same key from another API key is another comment.
	other := e.do("POST", "/v1/posts/loss-1/comments", adminKey, body, "Idempotency-Key", "k1").mustStatus(t, 201)
	if bytes.Equal(other.body, first.body) {
		t.Error("idempotency keys are not scoped to the API key")
	}
	e.do("POST", "/v1/posts/loss-1/comments", publisherKey, `{"text":"Something else entirely.","author":"sam"}`, "Idempotency-Key", "k1").mustStatus(t, 409)

	var q struct{ Comments []forewarn.Comment }
	e.do("GET", "/v1/queue?post=loss-1", moderatorKey, "").mustStatus(t, 200).json(t, &q)
	if len(q.Comments) != 2 {
		t.Errorf("%d comments queued, want 2", len(q.Comments))
	}

	// Concurrent retries of one request store one comment.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			var c commentOut
			r := e.do("POST", "/v1/posts/loss-1/comments", publisherKey, `{"text":"Race you, idiot.","author":"kim"}`, "Idempotency-Key", "race")
			if r.status != 200 && r.status != 201 {
				t.Errorf("status %d", r.status)
				return
			}
			r.json(t, &c)
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Errorf("concurrent retries got ids %v", ids)
			break
		}
	}
}

func TestAuth(t *testing.T) { eachStore(t, testAuth) }

func testAuth(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st})
	tests := []struct {
		name, method, path, key, body string
		auth                          string
		status                        int
	}{
		{"no key", "POST", "/v1/posts", "", `{"text":"x"}`, "", 401},
		{"unknown key", "POST", "/v1/posts", "nope", `{"text":"x"}`, "", 401},
		{"basic auth", "POST", "/v1/posts", "", `{"text":"x"}`, "Basic dXNlcjpwYXNz", 401},
		{"empty bearer", "POST", "/v1/posts", "", `{"text":"x"}`, "Bearer    ", 401},
		{"moderator posts", "POST", "/v1/posts", moderatorKey, `{"text":"x"}`, "", 403},
		{"moderator warns", "POST", "/v1/warnings", moderatorKey, `{"text":"x"}`, "", 403},
		{"moderator comments", "POST", "/v1/posts/p/comments", moderatorKey, `{"text":"x","author":"a"}`, "", 403},
		{"moderator nudges", "POST", "/v1/nudge", moderatorKey, `{"text":"x"}`, "", 403},
		{"publisher reads queue", "GET", "/v1/queue", publisherKey, "", "", 403},
		{"publisher decides", "POST", "/v1/comments/c1/decision", publisherKey, `{"action":"approve"}`, "", 403},
		{"no key on queue", "GET", "/v1/queue", "", "", "", 401},
		{"admin reads queue", "GET", "/v1/queue", adminKey, "", "", 200},
		{"lowercase scheme", "GET", "/v1/queue", "", "", "bearer " + moderatorKey, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := []string{"Idempotency-Key", "a"}
			if tt.auth != "" {
				h = append(h, "Authorization", tt.auth)
			}
			r := e.do(tt.method, tt.path, tt.key, tt.body, h...)
			r.mustStatus(t, tt.status)
			if tt.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestRateLimit(t *testing.T) { eachStore(t, testRateLimit) }

func testRateLimit(t *testing.T, st forewarn.Store) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	e := newEnv(t, fwhttp.Config{Store: st, RateLimit: 0.5, RateBurst: 3, Now: now})
	for range 3 {
		e.do("POST", "/v1/nudge", publisherKey, `{"text":"hello"}`).mustStatus(t, 200)
	}
	r := e.do("POST", "/v1/nudge", publisherKey, `{"text":"hello"}`).mustStatus(t, 429)
	if got := r.header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After %q, want 2", got)
	}
	// Another key has its own bucket.
	e.do("POST", "/v1/nudge", adminKey, `{"text":"hello"}`).mustStatus(t, 200)
	mu.Lock()
	at = at.Add(2 * time.Second)
	mu.Unlock()
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"hello"}`).mustStatus(t, 200)
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"hello"}`).mustStatus(t, 429)
}

func TestBadInput(t *testing.T) { eachStore(t, testBadInput) }

func testBadInput(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st, BodyLimit: 4096, MaxTextLen: 1000})
	e.strict = false
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(t, 201)
	e.do("POST", "/v1/posts/loss-1/comments", publisherKey, `{"text":"You idiot.","author":"x"}`, "Idempotency-Key", "held").mustStatus(t, 201)
	var q struct{ Comments []forewarn.Comment }
	e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 200).json(t, &q)
	held := q.Comments[0].ID

	const ok = `{"text":"fine words","author":"a"}`
	big := `{"text":"` + strings.Repeat("a", 5000) + `","author":"a"}`
	comments := "/v1/posts/loss-1/comments"
	tests := []struct {
		name, method, path, key, body string
		headers                       []string
		status                        int
		code                          string
	}{
		{"malformed JSON", "POST", comments, publisherKey, `{"text":`, nil, 400, "invalid"},
		{"not JSON", "POST", comments, publisherKey, `hello`, nil, 400, "invalid"},
		{"array body", "POST", comments, publisherKey, `[1,2]`, nil, 400, "invalid"},
		{"string body", "POST", comments, publisherKey, `"text"`, nil, 400, "invalid"},
		{"null body", "POST", comments, publisherKey, `null`, nil, 400, "invalid"},
		{"empty body", "POST", "/v1/nudge", publisherKey, ``, []string{"Content-Type", "application/json"}, 400, "invalid"},
		{"text is a number", "POST", comments, publisherKey, `{"text":5,"author":"a"}`, nil, 400, "invalid"},
		{"author is an object", "POST", comments, publisherKey, `{"text":"hi","author":{}}`, nil, 400, "invalid"},
		{"text is null", "POST", comments, publisherKey, `{"text":null,"author":"a"}`, nil, 400, "invalid"},
		{"unknown field", "POST", comments, publisherKey, `{"text":"hi","author":"a","score":1}`, nil, 400, "invalid"},
		{"trailing object", "POST", comments, publisherKey, ok + `{}`, nil, 400, "invalid"},
		{"trailing garbage", "POST", comments, publisherKey, ok + ` x`, nil, 400, "invalid"},
		{"trailing brace", "POST", comments, publisherKey, ok + `}`, nil, 400, "invalid"},
		{"invalid UTF-8", "POST", comments, publisherKey, "{\"text\":\"caf\xe9\",\"author\":\"a\"}", nil, 400, "invalid"},
		{"empty text", "POST", comments, publisherKey, `{"text":"","author":"a"}`, nil, 400, "invalid"},
		{"whitespace text", "POST", comments, publisherKey, `{"text":" \n\t ","author":"a"}`, nil, 400, "invalid"},
		{"missing author", "POST", comments, publisherKey, `{"text":"hi"}`, nil, 400, "invalid"},
		{"long author", "POST", comments, publisherKey, `{"text":"hi","author":"` + strings.Repeat("b", 201) + `"}`, nil, 400, "invalid"},
		{"no idempotency key", "POST", comments, publisherKey, ok, []string{"Idempotency-Key", ""}, 400, "invalid"},
		{"idempotency key with space", "POST", comments, publisherKey, ok, []string{"Idempotency-Key", "a b"}, 400, "invalid"},
		{"long idempotency key", "POST", comments, publisherKey, ok, []string{"Idempotency-Key", strings.Repeat("k", 256)}, 400, "invalid"},
		{"body over limit", "POST", comments, publisherKey, big, nil, 413, "too_large"},
		{"text over limit", "POST", comments, publisherKey, `{"text":"` + strings.Repeat("a", 1001) + `","author":"a"}`, nil, 413, "too_large"},
		{"draft over limit", "POST", "/v1/nudge", publisherKey, `{"text":"` + strings.Repeat("a", 1001) + `"}`, nil, 413, "too_large"},
		{"NUL in author", "POST", comments, publisherKey, `{"text":"hi","author":"a\u0000b"}`, nil, 400, "invalid"},
		{"NUL in text", "POST", comments, publisherKey, `{"text":"a\u0000b","author":"a"}`, nil, 400, "invalid"},
		{"queue bad escape", "GET", "/v1/queue?status=%zz", moderatorKey, "", nil, 400, "invalid"},
		{"body over limit, chunked", "POST", "/v1/nudge", publisherKey, big, []string{"Transfer-Encoding", "chunked"}, 413, "too_large"},
		{"text/plain", "POST", comments, publisherKey, ok, []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type"},
		{"no content type", "POST", "/v1/nudge", publisherKey, `{"text":"hi"}`, []string{"Content-Type", ""}, 415, "unsupported_media_type"},
		{"latin-1 charset", "POST", "/v1/nudge", publisherKey, `{"text":"hi"}`, []string{"Content-Type", "application/json; charset=latin1"}, 415, "unsupported_media_type"},
		{"PATCH comments", "PATCH", comments, publisherKey, "", nil, 405, "method_not_allowed"},
		{"DELETE posts", "DELETE", "/v1/posts", publisherKey, "", nil, 405, "method_not_allowed"},
		{"POST queue", "POST", "/v1/queue", moderatorKey, `{}`, nil, 405, "method_not_allowed"},
		{"PUT healthz", "PUT", "/healthz", "", "", nil, 405, "method_not_allowed"},
		{"unknown post", "POST", "/v1/posts/nope/comments", publisherKey, ok, nil, 404, "not_found"},
		{"bad post id", "POST", "/v1/posts/a%20b/comments", publisherKey, ok, nil, 404, "not_found"},
		{"nudge unknown post", "POST", "/v1/nudge", publisherKey, `{"text":"hi","post":"nope"}`, nil, 404, "not_found"},
		{"unknown endpoint", "GET", "/v1/nothing", publisherKey, "", nil, 404, "not_found"},
		{"unknown comment", "POST", "/v1/comments/nope/decision", moderatorKey, `{"action":"approve"}`, nil, 404, "not_found"},
		{"unknown action", "POST", "/v1/comments/" + held + "/decision", moderatorKey, `{"action":"delete"}`, nil, 400, "invalid"},
		{"action missing", "POST", "/v1/comments/" + held + "/decision", moderatorKey, `{"note":"x"}`, nil, 400, "invalid"},
		{"note is a number", "POST", "/v1/comments/" + held + "/decision", moderatorKey, `{"action":"approve","note":3}`, nil, 400, "invalid"},
		{"post id taken", "POST", "/v1/posts", publisherKey, griefPost, nil, 409, "conflict"},
		{"bad post id in body", "POST", "/v1/posts", publisherKey, `{"text":"hi","id":"a/b"}`, nil, 400, "invalid"},
		{"unknown style", "POST", "/v1/warnings", publisherKey, `{"text":"hi","style":"gothic"}`, nil, 400, "invalid"},
		{"style is a bool", "POST", "/v1/warnings", publisherKey, `{"text":"hi","style":true}`, nil, 400, "invalid"},
		{"queue bad status", "GET", "/v1/queue?status=published", moderatorKey, "", nil, 400, "invalid"},
		{"queue bad limit", "GET", "/v1/queue?limit=ten", moderatorKey, "", nil, 400, "invalid"},
		{"queue zero limit", "GET", "/v1/queue?limit=0", moderatorKey, "", nil, 400, "invalid"},
		{"queue huge limit", "GET", "/v1/queue?limit=99999999999999999999", moderatorKey, "", nil, 400, "invalid"},
		{"queue unknown param", "GET", "/v1/queue?sort=new", moderatorKey, "", nil, 400, "invalid"},
		{"queue repeated param", "GET", "/v1/queue?status=held&status=support", moderatorKey, "", nil, 400, "invalid"},
		{"deep nesting", "POST", "/v1/nudge", publisherKey, `{"text":"hi","post":` + strings.Repeat("[", 1000) + `}`, nil, 400, "invalid"},
	}
	// Messages name the field at fault, once.
	messages := map[string]string{
		"NUL in author":    "author contains a NUL character",
		"NUL in text":      "text contains a NUL character",
		"unknown post":     `no post "nope"`,
		"unknown comment":  `no comment "nope"`,
		"text over limit":  "text is 1001 bytes, longer than this server's maximum of 1000 bytes for a comment",
		"queue bad escape": "the query string is malformed",
		"post id taken":    `post id "loss-1" is taken`,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := append([]string{"Idempotency-Key", "bad-" + strings.ReplaceAll(tt.name, " ", "-")}, tt.headers...)
			r := e.do(tt.method, tt.path, tt.key, tt.body, h...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			var eb struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(r.body, &eb); err != nil || eb.Error.Code != tt.code || eb.Error.Message == "" {
				t.Errorf("error body %s (%v), want code %s", r.body, err, tt.code)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v lack nosniff or no-store", r.header)
			}
			if want, ok := messages[tt.name]; ok && eb.Error.Message != want {
				t.Errorf("message %q, want %q", eb.Error.Message, want)
			}
			if tt.status == 405 && r.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
	// Still serving, and none of the above stored a comment.
	e.do("GET", "/healthz", "", "").mustStatus(t, 200)
	e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 200).json(t, &q)
	if len(q.Comments) != 1 {
		t.Errorf("%d comments queued after bad input, want 1", len(q.Comments))
	}
}

func TestInternalErrorHidden(t *testing.T) {
	st := newMemStore()
	var logged syncBuffer
	e := newEnv(t, fwhttp.Config{Store: st, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	st.failPost = errors.New("disk on fire at /var/lib/secret")
	r := e.do("POST", "/v1/posts/x/comments", publisherKey, `{"text":"hi","author":"a"}`, "Idempotency-Key", "i").mustStatus(t, 500)
	if bytes.Contains(r.body, []byte("disk")) {
		t.Errorf("internal detail leaked: %s", r.body)
	}
	if !strings.Contains(logged.String(), "disk on fire") {
		t.Errorf("cause not logged: %s", logged.String())
	}
}

// syncBuffer is a bytes.Buffer that a server's goroutines may log to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// slowModerator blocks Decide until release is closed.
type slowModerator struct {
	fakeModerator
	started chan struct{}
	release chan struct{}
}

func (m slowModerator) Decide(p *forewarn.Post, text string) forewarn.Verdict {
	close(m.started)
	<-m.release
	return m.fakeModerator.Decide(p, text)
}

func TestGracefulClose(t *testing.T) {
	st := newMemStore()
	h := sha256.Sum256([]byte(publisherKey))
	st.CreateKey(context.Background(), &forewarn.Key{ID: "k", Role: forewarn.RolePublisher}, h[:])
	st.CreatePost(context.Background(), &forewarn.Post{ID: "p"})
	mod := slowModerator{started: make(chan struct{}), release: make(chan struct{})}
	srv := fwhttp.NewServer(fwhttp.Config{Store: st, Detector: fakeDetector{}, Moderator: mod})
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	for srv.Addr() == nil {
		time.Sleep(time.Millisecond)
	}
	done := make(chan int)
	go func() {
		req, _ := nethttp.NewRequest("POST", srv.URL()+"/v1/posts/p/comments", strings.NewReader(`{"text":"hi","author":"a"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+publisherKey)
		req.Header.Set("Idempotency-Key", "g")
		resp, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-mod.started
	closed := make(chan error)
	go func() { closed <- srv.Close(context.Background()) }()
	select {
	case <-closed:
		t.Fatal("Close returned with a request in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(mod.release)
	if code := <-done; code != 201 {
		t.Errorf("in-flight request got %d", code)
	}
	if err := <-closed; err != nil {
		t.Error(err)
	}
	if _, err := nethttp.Get(srv.URL() + "/healthz"); err == nil {
		t.Error("server still answers after Close")
	}
}
