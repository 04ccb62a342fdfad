package nats

import (
	"context"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// lagCollector reads the consumer's state from the server at scrape time,
// so that every worker and API instance reports the same figures.
type lagCollector struct {
	cons jetstream.Consumer
	log  *slog.Logger
}

// NewLagCollector returns a Prometheus collector of the lag and
// redeliveries of the workers' durable consumer, for the API's /metrics.
func NewLagCollector(ctx context.Context, js jetstream.JetStream, cfg Config, durable string) (prometheus.Collector, error) {
	cfg.setDefaults()
	if durable == "" {
		durable = DefaultDurable
	}
	cons, err := js.Consumer(ctx, cfg.CommentsStream, durable)
	if err != nil {
		return nil, err
	}
	return newLagCollector(cons, nil), nil
}

func newLagCollector(cons jetstream.Consumer, log *slog.Logger) *lagCollector {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &lagCollector{cons: cons, log: log}
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
	info, err := l.cons.Info(ctx)
	if err != nil {
		l.log.Error("consumer info", slog.Any("err", err))
		return
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(info.NumPending))
	ch <- prometheus.MustNewConstMetric(ackPendingDesc, prometheus.GaugeValue, float64(info.NumAckPending))
	ch <- prometheus.MustNewConstMetric(redeliveredDesc, prometheus.GaugeValue, float64(info.NumRedelivered))
}
