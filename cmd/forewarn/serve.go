package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/cli"
	fwhttp "github.com/forewarn/forewarn/http"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/nats"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/web"
	"github.com/forewarn/forewarn/webhook"
)

var serveCommand = cli.Command{
	Name:    "serve",
	Summary: "serve the HTTP API, the review queue and the web pages",
	Run:     runServe,
}

func runServe(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("serve", "[flags]", `  forewarn serve
  forewarn serve --addr 127.0.0.1:9000 --db /var/lib/forewarn/forewarn.db
  forewarn serve --db postgres://forewarn@db.internal/forewarn
  # Comments through NATS JetStream, saved by "forewarn worker":
  forewarn serve --db postgres://forewarn@db.internal/forewarn --nats nats://q1:4222,nats://q2:4222,nats://q3:4222 --replicas 3
  # On every interface, with metrics for Prometheus on their own port:
  forewarn serve --addr :8080 --metrics-addr 127.0.0.1:9090
`)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` (\":8080\" for every interface)")
	dsn := fs.String("db", "forewarn.db", "SQLite `file`, or a postgres:// URL to share one queue between instances")
	model := fs.String("model", "", "comment model `file` (default: the embedded model)")
	policy := fs.String("policy", "", "moderation policy `file` (default: the built-in policy)")
	lexicon := fs.String("lexicon", "", "a lexicon `FILE` whose phrases add to the built-in lexicon")
	styles := fs.String("styles", "", "a JSON `FILE` of house styles and policy over the defaults")
	bodyLimit := fs.Int64("body-limit", fwhttp.DefaultBodyLimit, "largest request body in `bytes`")
	rate := fs.Float64("rate", fwhttp.DefaultRateLimit, "requests per second each key may make (negative: no limit)")
	addrRate := fs.Float64("addr-rate", fwhttp.DefaultAddrRateLimit, "requests per second each client address may make, counted before the key is checked (negative: no limit)")
	maxText := fs.Int("max-text", fwhttp.DefaultMaxTextLen, "longest comment or draft text in `bytes` (longer: 413)")
	inFlight := fs.Int("max-in-flight", 0, "requests that run the models at once (default: the number of CPUs); others wait briefly, then get 503")
	timeout := fs.Duration("request-timeout", fwhttp.DefaultRequestTimeout, "deadline of each API request; a request past it gets 503 and stores nothing")
	memLimit := fs.String("memory-limit", "", "soft memory limit for the Go runtime, e.g. 768MiB or 2GiB (default: $GOMEMLIMIT, else none)")
	supportNumber := fs.String("support-number", "", "the crisis `line` a commenter at risk is told to call, e.g. \"988 (call or text, US)\" (default: the policy's support_number)")
	followUp := fs.Bool("support-follow-up", false, "promise a commenter at risk that a person from the site may check in (turn on only when someone will)")
	accessLogFile := fs.String("access-log", "", "append one JSON line per request to `file` (- for stderr)")
	hookTimeout := fs.Duration("webhook-timeout", webhook.DefaultTimeout, "how long a webhook receiver may take to answer; a delivery cut off by a stop is sent again after about three times this")
	metricsAddr := fs.String("metrics-addr", "", "also serve /metrics without a key on this `address`, for Prometheus (on the main address /metrics needs an admin key)")
	adminKeyFile := fs.String("admin-key-file", "", "where the first start writes the admin key when stdout is not a terminal (default: next to the SQLite file, else forewarn-admin.key)")
	natsURL := fs.String("nats", "", "NATS server `URLs` (comma-separated): publish new comments to JetStream for \"forewarn worker\" to save, instead of saving them here")
	streams := nats.StreamFlags(fs)
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	if err := cli.SetMemoryLimit(*memLimit); err != nil {
		return fmt.Errorf("serve: --memory-limit: %w", err)
	}
	det, mod, err := loadEngine(*model, *policy, *lexicon, *styles, func(p *moderate.Policy) {
		p.SupportNumber = cmp.Or(*supportNumber, p.SupportNumber)
		p.FollowUp = p.FollowUp || *followUp
	})
	if err != nil {
		return err
	}
	accessLog, err := m.OpenLog(*accessLogFile)
	if err != nil {
		return err
	}
	store, err := m.OpenStore(ctx, *dsn)
	if err != nil {
		return err
	}
	pol := mod.Policy()
	support := pol.SupportInfo()
	cfg := fwhttp.Config{
		Store: store, Detector: det, Moderator: mod, Web: web.Handler(),
		Logger: m.Logger, BodyLimit: *bodyLimit, RateLimit: *rate, AddrRateLimit: *addrRate,
		MaxTextLen: *maxText, MaxInFlight: *inFlight, RequestTimeout: *timeout,
		AccessLog: accessLog, Support: support,
	}
	if *natsURL != "" {
		if !postgres.IsURL(*dsn) {
			return errors.New("serve --nats needs --db postgres://...: the workers save comments there and the queue is read from it")
		}
		js, err := m.ConnectNATS(*natsURL, "forewarn serve")
		if err != nil {
			return err
		}
		in, err := nats.NewIntake(ctx, nats.IntakeConfig{Config: *streams, JetStream: js, Store: store, Logger: m.Logger})
		if err != nil {
			return err
		}
		cfg.Intake, cfg.Collectors = in, in.Collectors()
	}
	srv := fwhttp.NewServer(cfg)
	if err := srv.Open(*addr); err != nil {
		return err
	}
	if err := m.ServeMetrics(*metricsAddr, srv.MetricsHandler()); err != nil {
		srv.Close(context.Background())
		return err
	}
	url := srv.URL()
	fwhttp.WritePages(m.Stdout, url)
	if err := m.FirstAdmin(ctx, store, url, support, support.Number == moderate.DefaultSupportNumber, cmp.Or(*adminKeyFile, cli.DefaultAdminKeyFile(*dsn))); err != nil {
		srv.Close(context.Background())
		return err
	}
	if ws, ok := store.(forewarn.WebhookStore); ok {
		defer (&webhook.Sender{Store: ws, Logger: m.Logger, Timeout: *hookTimeout}).Start(ctx)()
	}
	m.Logger.Info("serving", "url", url, "db", postgres.Redact(*dsn))
	<-ctx.Done()
	m.Logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Close(sctx)
}
