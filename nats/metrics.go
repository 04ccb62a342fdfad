package nats

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// lagCollector reads the workers' consumer from the server at scrape time,
// so that every worker and API instance reports the same figures, and an
// API instance that starts before any worker reports once one has.
type lagCollector struct {
	js      jetstream.JetStream
	stream  string
	durable string
	log     *slog.Logger
}

func newLagCollector(js jetstream.JetStream, cfg Config, log *slog.Logger) *lagCollector {
	return &lagCollector{js: js, stream: cfg.CommentsStream, durable: cfg.Durable, log: log}
}

var (
	pendingDesc = prometheus.NewDesc("forewarn_queue_lag_messages",
		"Comments in the stream not yet delivered to a worker.", nil, nil)
	ackPendingDesc = prometheus.NewDesc("forewarn_queue_unacknowledged_messages",
		"Comments delivered to a worker and not yet acknowledged.", nil, nil)
	redeliveredDesc = prometheus.NewDesc("forewarn_queue_redelivered_messages",
		"Comments delivered more than once and not yet acknowledged.", nil, nil)
)

func (l *lagCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- ackPendingDesc
	ch <- redeliveredDesc
}

func (l *lagCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cons, err := l.js.Consumer(ctx, l.stream, l.durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return // no worker has started yet
	} else if err != nil {
		l.log.Error("consumer info", slog.Any("err", err))
		return
	}
	info := cons.CachedInfo()
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(info.NumPending))
	ch <- prometheus.MustNewConstMetric(ackPendingDesc, prometheus.GaugeValue, float64(info.NumAckPending))
	ch <- prometheus.MustNewConstMetric(redeliveredDesc, prometheus.GaugeValue, float64(info.NumRedelivered))
}
