package http

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics holds the Prometheus collectors of one server.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	decisions *prometheus.CounterVec
	actions   *prometheus.CounterVec
}

func newMetrics(store forewarn.Store, log *slog.Logger, now func() time.Time, extra ...prometheus.Collector) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_http_requests_total",
			Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "forewarn_http_request_duration_seconds",
			Help:    "HTTP request latency by route and status code.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "code"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_comment_decisions_total",
			Help: "Comments decided, by decision.",
		}, []string{"decision"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_moderator_actions_total",
			Help: "Moderator actions on queued comments, by action.",
		}, []string{"action"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.decisions, m.actions,
		&queueCollector{store: store, log: log, now: now},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(extra...)
	for _, d := range []forewarn.Decision{forewarn.Publish, forewarn.Hold, forewarn.Support} {
		m.decisions.WithLabelValues(string(d))
	}
	return m
}

// codes holds the label strings of common status codes so that the hot path
// does not format them.
var codes = func() map[int]string {
	m := make(map[int]string)
	for c := 100; c < 600; c++ {
		m[c] = strconv.Itoa(c)
	}
	return m
}()

func (m *metrics) observe(route string, code int, d time.Duration) {
	c, ok := codes[code]
	if !ok {
		c = strconv.Itoa(code)
	}
	m.requests.WithLabelValues(route, c).Inc()
	m.latency.WithLabelValues(route, c).Observe(d.Seconds())
}

// queueDepthTTL is how long a queue depth read from the store is served
// again: scrapes come every 15 to 60 s, so a scrape rarely waits for the
// count, and a flood of scrapes costs one count per TTL.
const queueDepthTTL = 10 * time.Second

// queueCollector reads the queue depth from the store, at most once per
// queueDepthTTL, so that the gauge is right across several instances
// sharing one queue.
type queueCollector struct {
	store forewarn.Store
	log   *slog.Logger
	now   func() time.Time

	mu    sync.Mutex
	depth map[forewarn.Status]int
	at    time.Time
}

var queueDesc = prometheus.NewDesc("forewarn_queue_depth", "Comments waiting for a moderator, by status.", []string{"status"}, nil)

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDesc }

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	depth, err := q.read()
	if err != nil {
		q.log.Error("queue depth", slog.Any("err", err))
		return
	}
	for _, s := range []forewarn.Status{forewarn.StatusHeld, forewarn.StatusSupport} {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(depth[s]), string(s))
	}
}

// read returns the cached depth, or counts again when it is older than
// queueDepthTTL. Concurrent scrapes wait for one count.
func (q *queueCollector) read() (map[forewarn.Status]int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	if q.depth != nil && now.Sub(q.at) < queueDepthTTL {
		return q.depth, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	depth, err := q.store.QueueDepth(ctx)
	if err != nil {
		return nil, err
	}
	q.depth, q.at = depth, now
	return depth, nil
}
