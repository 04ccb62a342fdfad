package nats

import (
	"bytes"
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/nats/natstest"
	"github.com/forewarn/forewarn/storetest"
	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// benchClients is how many comments are in flight at once under load:
// enough to keep one core busy while each request waits on a commit or an
// acknowledgement. The light runs send lightRate comments a second from
// lightClients clients, a quarter of what either path took on one core
// here (about 800/s), so that latency is the pipeline's own rather than
// time spent queueing behind other comments.
const (
	benchClients = 64
	lightClients = 4
	lightRate    = 200
)

// benchTexts are comments of the lengths and tones a news site gets,
// written for the bench.
var benchTexts = []string{
	"Thank you for writing this, it helped me understand what my sister went through last year.",
	"This is the dumbest article I have read all week, who pays you for this garbage?",
	"I lost my dad the same way. Some days I still feel like there is no point in going on.",
	"Great reporting as always. Would love a follow-up on what the council decides in March.",
	"People like you should be ashamed, you are a disgrace to the paper and to this town.",
}

func benchModerator(b *testing.B) forewarn.Moderator {
	c, err := comment.Default()
	if err != nil {
		b.Fatal(err)
	}
	m, err := moderate.New(c, moderate.DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkEndToEnd sends b.N comments through the HTTP API with the
// embedded model deciding, from benchClients clients at once (the light
// runs: paced at lightRate), and reports
// comments per second from the first request until the last comment is in
// PostgreSQL, and the latency until a comment is answered (api-p99-ms) and
// until it is in PostgreSQL and so in the review queue (e2e-p50-ms,
// e2e-p99-ms). direct is the API saving each comment itself; nats_Nw is
// the API publishing to JetStream and N workers saving in batches. Needs
// FOREWARN_TEST_POSTGRES; bench/nats.sh runs it pinned to one core.
func BenchmarkEndToEnd(b *testing.B) {
	mod := benchModerator(b)
	for _, tc := range []struct {
		name             string
		workers, clients int
		rate             float64
	}{
		{"direct", 0, benchClients, 0}, {"nats_1w", 1, benchClients, 0}, {"nats_2w", 2, benchClients, 0},
		{"light/direct", 0, lightClients, lightRate}, {"light/nats_1w", 1, lightClients, lightRate},
	} {
		b.Run(tc.name, func(b *testing.B) { benchEndToEnd(b, mod, tc.workers, tc.clients, tc.rate) })
	}
}

// benchEndToEnd sends b.N comments from clients clients, paced at rate
// comments a second when rate > 0.
func benchEndToEnd(b *testing.B, mod forewarn.Moderator, workers, clients int, rate float64) {
	dsn := storetest.PostgresSchema(b)
	o := pipelineOpts{apis: 1, mod: mod, workers: workers}
	var visible sync.Map // comment ID -> time it reached PostgreSQL
	var seen atomic.Int64
	if workers > 0 {
		o.nodes = []*server.Server{natstest.RunServer(b)}
		// Events are published once the batch committed, so their arrival
		// is when the comment became visible in the queue.
		nc, _ := connect(b, o.nodes[0].ClientURL())
		// The message id is the comment ID, so the body need not be read.
		if _, err := nc.Subscribe(DefaultPrefix+".decided.>", func(m *natsgo.Msg) {
			if id := m.Header.Get(jetstream.MsgIDHeader); id != "" {
				if _, dup := visible.LoadOrStore(id, time.Now()); !dup {
					seen.Add(1)
				}
			}
		}); err != nil {
			b.Fatal(err)
		}
	}
	p := newPipeline(b, dsn, o)
	p.start(b)
	client := &nethttp.Client{Timeout: 30 * time.Second, Transport: &nethttp.Transport{MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	url := p.apis[0].URL()
	type sample struct {
		id         string
		sent, done time.Time
	}
	samples := make([]sample, b.N)
	var bytesSent atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				if rate > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(float64(i) / rate * float64(time.Second)))))
				}
				body, _ := json.Marshal(map[string]string{"text": fmt.Sprintf("%s (%d)", benchTexts[i%len(benchTexts)], i), "author": "reader"})
				bytesSent.Add(int64(len(body)))
				req, _ := nethttp.NewRequest("POST", fmt.Sprintf("%s/v1/posts/p%d/comments", url, i%faultPosts), bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+testSecret)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprint("bench-", i))
				sent := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				var r struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if resp.StatusCode != nethttp.StatusCreated {
					b.Errorf("comment %d: status %d", i, resp.StatusCode)
					return
				}
				samples[i] = sample{id: r.ID, sent: sent, done: time.Now()}
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		return
	}
	last := time.Now()
	if workers > 0 {
		deadline := time.Now().Add(2 * time.Minute)
		for seen.Load() < int64(b.N) {
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d comments reached PostgreSQL", seen.Load(), b.N)
			}
			time.Sleep(time.Millisecond)
		}
		last = time.Time{}
		visible.Range(func(_, v any) bool {
			if t := v.(time.Time); t.After(last) {
				last = t
			}
			return true
		})
	}
	elapsed := last.Sub(start)
	b.StopTimer()
	api := make([]float64, b.N)
	e2e := make([]float64, b.N)
	for i, s := range samples {
		api[i] = ms(s.done.Sub(s.sent))
		e2e[i] = api[i]
		if workers > 0 {
			v, ok := visible.Load(s.id)
			if !ok {
				b.Fatalf("comment %s answered 201 but never reached PostgreSQL", s.id)
			}
			e2e[i] = ms(v.(time.Time).Sub(s.sent))
		}
	}
	b.SetBytes(bytesSent.Load() / int64(b.N))
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "comments/s")
	b.ReportMetric(percentile(api, 0.99), "api-p99-ms")
	b.ReportMetric(percentile(e2e, 0.50), "e2e-p50-ms")
	b.ReportMetric(percentile(e2e, 0.99), "e2e-p99-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentile returns the q-th quantile of xs (nearest rank).
func percentile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// BenchmarkIntake publishes comments from benchClients goroutines to a
// JetStream node in the same process and reports comments/s: what one
// core spends per comment on the intake side, without HTTP or the model.
func BenchmarkIntake(b *testing.B) {
	_, js := connect(b, natstest.RunServer(b).ClientURL())
	in, err := NewIntake(b.Context(), IntakeConfig{JetStream: js})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetBytes(int64(len(benchTexts[0])))
	b.SetParallelism(benchClients)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			c := &forewarn.Comment{PostID: "p1", Author: "reader", Text: benchTexts[i%int64(len(benchTexts))], Decision: forewarn.Publish,
				Scores: map[string]float64{"insult": 0.1, "threat": 0.01}, Reasons: []string{}}
			if _, _, err := in.CreateComment(b.Context(), c, forewarn.IdempotencyKey{KeyID: "k_pub", Key: fmt.Sprint("bench-", i)}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "comments/s")
}

// BenchmarkWorker fills the comments stream with b.N comments, then times
// one worker saving them all to PostgreSQL, for several batch sizes.
func BenchmarkWorker(b *testing.B) {
	for _, batch := range []int{50, 200, 500} {
		b.Run(fmt.Sprint("batch", batch), func(b *testing.B) {
			dsn := storetest.PostgresSchema(b)
			node := natstest.RunServer(b)
			_, js := connect(b, node.ClientURL())
			in, err := NewIntake(b.Context(), IntakeConfig{JetStream: js})
			if err != nil {
				b.Fatal(err)
			}
			for i := range b.N {
				c := &forewarn.Comment{PostID: "p1", Author: "reader", Text: benchTexts[i%len(benchTexts)], Decision: forewarn.Hold,
					Scores: map[string]float64{"insult": 0.9, "threat": 0.01}, Reasons: []string{"insult"}}
				if _, _, err := in.CreateComment(b.Context(), c, forewarn.IdempotencyKey{KeyID: "k_pub", Key: fmt.Sprint("bench-", i)}); err != nil {
					b.Fatal(err)
				}
			}
			p := newPipeline(b, dsn, pipelineOpts{nodes: []*server.Server{node}, workers: 1, wcfg: WorkerConfig{BatchSize: batch}})
			b.SetBytes(int64(len(benchTexts[0])))
			b.ResetTimer()
			start := time.Now()
			p.start(b)
			waitFor(b, 5*time.Minute, "the worker to save every comment", func() bool { return p.drained(b) })
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "comments/s")
		})
	}
}
