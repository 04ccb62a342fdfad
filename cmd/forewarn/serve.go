package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/nats"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/web"
	"github.com/forewarn/forewarn/webhook"
)

var serveCommand = command{
	name:    "serve",
	summary: "serve the HTTP API, the review queue and the web pages",
	run:     runServe,
}

func runServe(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("serve", "[flags]", `  forewarn serve
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
	streams := natsFlags(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	if *memLimit != "" {
		n, err := parseBytes(*memLimit)
		if err != nil {
			return fmt.Errorf("serve: --memory-limit: %w", err)
		}
		debug.SetMemoryLimit(n)
	}
	det, mod, err := loadEngine(*model, *policy, *lexicon, *styles, func(p *moderate.Policy) {
		p.SupportNumber = cmp.Or(*supportNumber, p.SupportNumber)
		p.FollowUp = p.FollowUp || *followUp
	})
	if err != nil {
		return err
	}
	accessLog, err := m.openAccessLog(*accessLogFile)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, m, *dsn)
	if err != nil {
		return err
	}
	pol := mod.Policy()
	support := forewarn.SupportInfo{Text: pol.SupportText(), Number: pol.SupportNumber, FollowUp: pol.FollowUp}
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
		js, err := connectNATS(m, *natsURL, "forewarn serve")
		if err != nil {
			return err
		}
		in, err := nats.NewIntake(ctx, nats.IntakeConfig{Config: streams.config(), JetStream: js, Store: store, Logger: m.Logger})
		if err != nil {
			return err
		}
		cfg.Intake, cfg.Collectors = in, in.Collectors()
	}
	srv := fwhttp.NewServer(cfg)
	if err := srv.Open(*addr); err != nil {
		return err
	}
	if err := m.serveMetrics(*metricsAddr, srv.MetricsHandler()); err != nil {
		srv.Close(context.Background())
		return err
	}
	url := srv.URL()
	fwhttp.WritePages(m.Stdout, url)
	if err := m.firstAdmin(ctx, store, url, support, cmp.Or(*adminKeyFile, defaultAdminKeyFile(*dsn))); err != nil {
		srv.Close(context.Background())
		return err
	}
	// The webhook sender runs beside the server and stops with it; what it
	// was sending becomes due again after its lease.
	sendCtx, stopSending := context.WithCancel(context.WithoutCancel(ctx))
	sent := make(chan struct{})
	if ws, ok := store.(forewarn.WebhookStore); ok {
		go func() {
			defer close(sent)
			(&webhook.Sender{Store: ws, Logger: m.Logger, Timeout: *hookTimeout}).Run(sendCtx)
		}()
	} else {
		close(sent)
	}
	defer func() { stopSending(); <-sent }()
	m.Logger.Info("serving", "url", url, "db", postgres.Redact(*dsn))
	<-ctx.Done()
	m.Logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Close(sctx)
}

// serveMetrics serves h without keys on addr, if set, until m closes.
func (m *Main) serveMetrics(addr string, h http.Handler) error {
	if addr == "" {
		return nil
	}
	a, stop, err := fwhttp.ServeMetrics(addr, h)
	if err != nil {
		return err
	}
	m.onClose(stop)
	m.Logger.Info("serving metrics", "addr", a.String())
	return nil
}

// firstAdmin creates the admin key on the first start and prints it with
// a sign-in link and what to do next. The key and its link go to stdout
// only when it is a terminal, where a person reads them; otherwise (a
// service manager's log, a pipe) they go to keyFile, created readable by
// its owner only, and the log says where.
func (m *Main) firstAdmin(ctx context.Context, store forewarn.Store, url string, support forewarn.SupportInfo, keyFile string) error {
	secret, err := fwhttp.CreateFirstAdmin(ctx, store, rand.Reader)
	if err != nil || secret == "" {
		return err
	}
	if isTerminal(m.Stdout) {
		fmt.Fprint(m.Stdout, "\n"+fwhttp.SignInText(url, secret))
	} else {
		if err := writePrivate(keyFile, fwhttp.SignInText(url, secret)); err != nil {
			return fmt.Errorf("write first admin key: %w", err)
		}
		abs, _ := filepath.Abs(keyFile)
		m.Logger.Info("first start: wrote the admin key and its sign-in link to a file only you can read", "file", abs)
		fmt.Fprintf(m.Stdout, "\nFirst start: created an admin key; it is in %s (readable only by you).\n", abs)
	}
	fwhttp.WriteFirstStart(m.Stdout, support, support.Number == moderate.DefaultSupportNumber)
	return nil
}

// openAccessLog opens the access log named by a --access-log value: none
// for "", stderr for "-", else a file opened for appending.
func (m *Main) openAccessLog(name string) (io.Writer, error) {
	switch name {
	case "":
		return nil, nil
	case "-":
		return m.Stderr, nil
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open access log: %w", err)
	}
	m.onClose(f.Close)
	return f, nil
}

// parseBytes parses a size such as 768MiB, 2GiB, 500MB or 1048576.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.n
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 768MiB", s)
	}
	return n * mult, nil
}

// defaultAdminKeyFile names the file for the first admin key: next to the
// SQLite database, or in the working directory for PostgreSQL.
func defaultAdminKeyFile(dsn string) string {
	if postgres.IsURL(dsn) {
		return "forewarn-admin.key"
	}
	return dsn + ".admin-key"
}

// writePrivate writes text to a new file that only its owner can read; an
// existing file is an error, never overwritten.
func writePrivate(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
