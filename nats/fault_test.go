package nats

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
	"github.com/forewarn/forewarn/nats/natstest"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/storetest"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fakeDetector finds no topic; the fault tests are about comments.
type fakeDetector struct{}

func (fakeDetector) Warn(string, string) (forewarn.Warning, error) { return forewarn.Warning{}, nil }

// fakeModerator decides by a word in the text, so that the tests know each
// comment's decision.
type fakeModerator struct{}

func fakeDecision(text string) forewarn.Decision {
	switch {
	case strings.Contains(text, "[hold]"):
		return forewarn.Hold
	case strings.Contains(text, "[support]"):
		return forewarn.Support
	}
	return forewarn.Publish
}

func (fakeModerator) Decide(_ *forewarn.Post, text string) forewarn.Verdict {
	d := fakeDecision(text)
	return forewarn.Verdict{Decision: d, Scores: map[string]float64{"insult": float64(len(text)%10) / 10},
		Reasons: []string{string(d)}, Evidence: []forewarn.Evidence{}}
}

func (fakeModerator) Nudge(*forewarn.Post, string) forewarn.Nudge { return forewarn.Nudge{} }

func (fakeModerator) Sensitive([]forewarn.Topic) bool { return false }

const (
	testSecret  = "fwk_testsecret0123456789"
	adminSecret = "fwk_adminsecret0123456789"
	faultPosts  = 4
	faultTotal  = 2000
	faultSender = 16
)

// pipeline is API instances and workers on one NATS deployment and one
// PostgreSQL schema.
type pipeline struct {
	db      *postgres.DB
	dsn     string
	apis    []*fwhttp.Server
	workers []*Worker
	stops   []func() error
}

// maxInFlight lets every client of the tests and the bench have a request
// in flight: the server's slot covers the wait for the commit or the
// stream's acknowledgement, so its default (the number of CPUs) would
// measure that limit instead of the pipeline.
const maxInFlight = 64

// pipelineOpts says what a pipeline runs.
type pipelineOpts struct {
	nodes   []*server.Server // nil: the API saves comments itself (the direct path)
	cfg     Config
	apis    int
	workers int
	wcfg    WorkerConfig
	mod     forewarn.Moderator // nil: fakeModerator
}

// newPipeline starts API instances and workers, instance i connected to
// the nodes starting from node i (mod the node count).
func newPipeline(t testing.TB, dsn string, o pipelineOpts) *pipeline {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	if o.mod == nil {
		o.mod = fakeModerator{}
	}
	db, err := postgres.Open(context.Background(), dsn, logger, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.CreateKey(ctx, &forewarn.Key{ID: "k_pub", Role: forewarn.RolePublisher}, forewarn.HashKey(testSecret)); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateKey(ctx, &forewarn.Key{ID: "k_adm", Role: forewarn.RoleAdmin}, forewarn.HashKey(adminSecret)); err != nil {
		t.Fatal(err)
	}
	for i := range faultPosts {
		if err := db.CreatePost(ctx, &forewarn.Post{ID: fmt.Sprint("p", i), Text: "a post"}); err != nil {
			t.Fatal(err)
		}
	}
	p := &pipeline{db: db, dsn: dsn}
	for i := range o.apis {
		cfg := fwhttp.Config{Store: db, Detector: fakeDetector{}, Moderator: o.mod,
			Logger: logger, RateLimit: -1, AddrRateLimit: -1, MaxInFlight: maxInFlight}
		if o.nodes != nil {
			_, js := connect(t, natstest.URLs(o.nodes, i))
			in, err := NewIntake(ctx, IntakeConfig{Config: o.cfg, JetStream: js, Store: db, Logger: logger, PublishTimeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Intake, cfg.Collectors = in, in.Collectors()
		}
		srv := fwhttp.NewServer(cfg)
		if err := srv.Open("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close(context.Background()) })
		p.apis = append(p.apis, srv)
	}
	for i := range o.workers {
		_, js := connect(t, natstest.URLs(o.nodes, o.apis+i))
		c := o.wcfg
		c.Config = o.cfg
		p.workers = append(p.workers, newWorker(t, js, db, c))
	}
	return p
}

// start runs the workers.
func (p *pipeline) start(t testing.TB) {
	for _, w := range p.workers {
		p.stops = append(p.stops, runWorker(t, w))
	}
}

// outcome is what the client learned about one comment.
type outcome struct {
	status int // last HTTP status, 0 when no answer
	id     string
}

// post sends comment i to API instance i%len(apis) until it is answered
// 201 or 200 or attempts run out, retrying 503s and lost connections under
// the same Idempotency-Key as a client should.
func (p *pipeline) post(client *nethttp.Client, i int) outcome {
	text := faultText(i)
	body, _ := json.Marshal(map[string]string{"text": text, "author": "reader"})
	var out outcome
	for attempt := range 100 {
		srv := p.apis[(i+attempt)%len(p.apis)]
		req, _ := nethttp.NewRequest("POST", fmt.Sprintf("%s/v1/posts/p%d/comments", srv.URL(), i%faultPosts), bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testSecret)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprint("idem-", i))
		resp, err := client.Do(req)
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		var r struct{ ID string }
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		out = outcome{status: resp.StatusCode, id: r.ID}
		if resp.StatusCode == nethttp.StatusCreated || resp.StatusCode == nethttp.StatusOK {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
	return out
}

func faultText(i int) string {
	return fmt.Sprintf("comment number %d %s", i, [...]string{"[publish]", "[hold]", "[support]"}[i%3])
}

// send posts n comments from several clients at once and calls during once
// a third of them are answered.
func (p *pipeline) send(n int, during func()) []outcome {
	client := &nethttp.Client{Timeout: 10 * time.Second, Transport: &nethttp.Transport{MaxIdleConnsPerHost: faultSender}}
	defer client.CloseIdleConnections()
	out := make([]outcome, n)
	var next, done atomic.Int64
	var once sync.Once
	var wg sync.WaitGroup
	for range faultSender {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				out[i] = p.post(client, i)
				if done.Add(1) == int64(n/3) && during != nil {
					once.Do(during)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// drained reports whether the workers' consumer has nothing left.
func (p *pipeline) drained(t testing.TB) bool {
	info, err := p.workers[len(p.workers)-1].cons.Info(context.Background())
	if err != nil {
		return false // a node may be electing a leader
	}
	return info.NumPending == 0 && info.NumAckPending == 0
}

// check asserts the acceptance: every comment answered 201 (or replayed
// 200) is in PostgreSQL exactly once with its decision, under the ID the
// answer gave, and no other comment is there twice.
func (p *pipeline) check(t *testing.T, out []outcome) {
	t.Helper()
	waitFor(t, 60*time.Second, "the workers to drain the stream", func() bool { return p.drained(t) })
	conn, err := pgx.Connect(t.Context(), p.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	type row struct {
		n              int
		id, decision   string
		status, postID string
	}
	rows := map[string]row{}
	res, err := conn.Query(t.Context(), `SELECT text, count(*), min(id), min(decision), min(status), min(post_id) FROM comments GROUP BY text`)
	if err != nil {
		t.Fatal(err)
	}
	for res.Next() {
		var text string
		var r row
		if err := res.Scan(&text, &r.n, &r.id, &r.decision, &r.status, &r.postID); err != nil {
			t.Fatal(err)
		}
		rows[text] = r
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	answered, missing, twice := 0, 0, 0
	for i, o := range out {
		r, ok := rows[faultText(i)]
		if r.n > 1 {
			twice++
			t.Errorf("comment %d stored %d times", i, r.n)
		}
		if o.status != nethttp.StatusCreated && o.status != nethttp.StatusOK {
			continue
		}
		answered++
		want := fakeDecision(faultText(i))
		switch {
		case !ok:
			missing++
			if missing < 5 {
				t.Errorf("comment %d was answered %d with id %s but is not stored", i, o.status, o.id)
			}
		case r.id != o.id || forewarn.Decision(r.decision) != want || r.status != string(forewarn.StatusFor(want)) || r.postID != fmt.Sprint("p", i%faultPosts):
			t.Errorf("comment %d stored as %+v, want id %s decision %s", i, r, o.id, want)
		}
	}
	t.Logf("%d of %d comments answered; %d rows stored; %d answered but missing, %d stored twice", answered, len(out), len(rows), missing, twice)
	if answered < len(out)*9/10 {
		t.Errorf("only %d of %d comments answered", answered, len(out))
	}
	var keys int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM idempotency_keys`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != len(rows) {
		t.Errorf("%d idempotency keys for %d comments", keys, len(rows))
	}
}

// killAt makes worker w die, as a crash would, when it reaches stage for
// the nth time: its connection closes and nothing more is acknowledged.
func killAt(w *Worker, stage string, n int) {
	var seen atomic.Int64
	w.hook = func(s string) {
		if s == stage && seen.Add(1) == int64(n) {
			w.killed.Store(true)
			w.cfg.JetStream.Conn().Close()
		}
	}
}

// checkKilled asserts that the killed worker left a batch to the others.
func checkKilled(t *testing.T, p *pipeline) {
	t.Helper()
	if !p.workers[0].killed.Load() {
		t.Fatal("the worker was never killed: batches too few")
	}
	var redelivered float64
	for _, w := range p.workers[1:] {
		redelivered += testutil.ToFloat64(w.redelivered)
	}
	if redelivered == 0 {
		t.Error("no message was redelivered after the kill")
	}
}

// TestFaultOneNode: two API instances and two workers on one NATS node;
// one worker dies after committing a batch and before acknowledging it.
func TestFaultOneNode(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	nodes := []*server.Server{natstest.RunServer(t)}
	p := newPipeline(t, dsn, pipelineOpts{nodes: nodes, cfg: Config{Partitions: 2}, apis: 2, workers: 2, wcfg: WorkerConfig{BatchSize: 50, AckWait: 2 * time.Second}})
	killAt(p.workers[0], "committed", 3)
	p.start(t)
	out := p.send(faultTotal, nil)
	p.check(t, out)
	checkKilled(t, p)
	if testutil.ToFloat64(p.workers[1].saved.WithLabelValues("existing")) == 0 {
		t.Error("the surviving worker found no comment already saved: the killed batch was not redelivered after its commit")
	}
}

// TestFaultCluster: the same on a 3-node cluster with streams replicated
// three times; one worker dies after taking a batch and before saving it,
// and one NATS node is shut down once a third of the comments are in.
func TestFaultCluster(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	nodes := natstest.RunCluster(t, 3)
	p := newPipeline(t, dsn, pipelineOpts{nodes: nodes, cfg: Config{Replicas: 3, Partitions: 2}, apis: 2, workers: 2, wcfg: WorkerConfig{BatchSize: 50, AckWait: 2 * time.Second}})
	killAt(p.workers[0], "fetched", 3)
	p.start(t)
	out := p.send(faultTotal, func() { nodes[1].Shutdown() })
	p.check(t, out)
	checkKilled(t, p)
}

// TestBackPressure fills a small stream with no worker running: the API
// answers 503 with Retry-After, and once a worker runs, every comment
// answered 201 is saved and the refused ones go through on retry.
func TestBackPressure(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	nodes := []*server.Server{natstest.RunServer(t)}
	p := newPipeline(t, dsn, pipelineOpts{nodes: nodes, cfg: Config{MaxMsgs: 20}, apis: 1, workers: 1, wcfg: WorkerConfig{BatchSize: 10}})
	client := &nethttp.Client{Timeout: 10 * time.Second}
	send := func(i int) *nethttp.Response {
		body, _ := json.Marshal(map[string]string{"text": faultText(i), "author": "reader"})
		req, _ := nethttp.NewRequest("POST", fmt.Sprintf("%s/v1/posts/p%d/comments", p.apis[0].URL(), i%faultPosts), bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testSecret)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprint("idem-", i))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	const n = 30
	refused := 0
	for i := range n {
		resp := send(i)
		switch {
		case i < 20 && resp.StatusCode != nethttp.StatusCreated:
			t.Fatalf("comment %d: status %d, want 201", i, resp.StatusCode)
		case i >= 20 && (resp.StatusCode != nethttp.StatusServiceUnavailable || resp.Header.Get("Retry-After") == ""):
			t.Fatalf("comment %d on a full stream: status %d Retry-After %q, want 503 with a retry time", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		case i >= 20:
			refused++
		}
	}
	metrics := scrape(t, p.apis[0].URL())
	for _, want := range []string{`forewarn_intake_published_total{result="full"} 10`, `forewarn_intake_published_total{result="accepted"} 20`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	p.start(t)
	out := make([]outcome, n)
	for i := range n {
		out[i] = p.post(client, i)
	}
	p.check(t, out)
	if !strings.Contains(scrape(t, p.apis[0].URL()), "forewarn_queue_lag_messages 0") {
		t.Error("/metrics lacks the consumer's lag")
	}
	// The queue and moderator decisions work on what the worker saved.
	var q struct{ Comments []forewarn.Comment }
	if status := call(t, p.apis[0].URL(), "GET", "/v1/queue", "", &q); status != nethttp.StatusOK {
		t.Fatalf("queue: status %d", status)
	}
	waiting := 0
	for i := range n {
		if fakeDecision(faultText(i)) != forewarn.Publish {
			waiting++
		}
	}
	if len(q.Comments) != waiting {
		t.Fatalf("queue lists %d comments, want the %d held or support ones", len(q.Comments), waiting)
	}
	if status := call(t, p.apis[0].URL(), "POST", "/v1/comments/"+q.Comments[0].ID+"/decision", `{"action":"reject"}`, nil); status != nethttp.StatusOK {
		t.Errorf("decide: status %d", status)
	}
}

// call sends an admin request and decodes a JSON answer into out.
func call(t *testing.T, url, method, path, body string, out any) int {
	t.Helper()
	req, _ := nethttp.NewRequest(method, url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+adminSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	req, _ := nethttp.NewRequest("GET", url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+adminSecret)
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
