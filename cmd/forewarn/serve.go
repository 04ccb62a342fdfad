package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

var serveCommand = command{
	name:    "serve",
	summary: "serve the HTTP API, the review queue and the web pages",
	run:     runServe,
}

// firstAdminID is the ID of the admin key serve creates on its first start,
// so that a second start can tell that it already did.
const firstAdminID = "k_first_admin"

func runServe(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("serve", "[flags]", `  forewarn serve
  forewarn serve --addr 127.0.0.1:9000 --db /var/lib/forewarn/forewarn.db
  forewarn serve --db postgres://forewarn@db.internal/forewarn
`)
	addr := fs.String("addr", ":8080", "listen `address`")
	dsn := fs.String("db", "forewarn.db", "SQLite `file`, or a postgres:// URL to share one queue between instances")
	model := fs.String("model", "", "comment model `file` (default: the embedded model)")
	policy := fs.String("policy", "", "moderation policy `file` (default: the built-in policy)")
	bodyLimit := fs.Int64("body-limit", fwhttp.DefaultBodyLimit, "largest request body in `bytes`")
	rate := fs.Float64("rate", fwhttp.DefaultRateLimit, "requests per second each key may make (negative: no limit)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	det, mod, err := loadEngine(*model, *policy)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, m, *dsn)
	if err != nil {
		return err
	}
	srv := fwhttp.NewServer(fwhttp.Config{
		Store: store, Detector: det, Moderator: mod, Web: webHandler(),
		Logger: m.Logger, BodyLimit: *bodyLimit, RateLimit: *rate,
	})
	if err := srv.Open(*addr); err != nil {
		return err
	}
	url := srv.URL()
	if err := firstAdmin(ctx, m, store, url); err != nil {
		srv.Close(context.Background())
		return err
	}
	m.Logger.Info("serving", "url", url, "db", redactDSN(*dsn))
	<-ctx.Done()
	m.Logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Close(sctx)
}

// firstAdmin creates an admin key on the first start and prints it with the
// addresses of the pages; later starts print nothing.
func firstAdmin(ctx context.Context, m *Main, store forewarn.Store, url string) error {
	secret, err := forewarn.NewKeySecret(rand.Reader)
	if err != nil {
		return err
	}
	err = store.CreateKey(ctx, &forewarn.Key{ID: firstAdminID, Role: forewarn.RoleAdmin}, forewarn.HashKey(secret))
	if errors.Is(err, forewarn.ErrConflict) {
		return nil
	} else if err != nil {
		return fmt.Errorf("create first admin key: %w", err)
	}
	fmt.Fprintf(m.Stdout, `forewarn is serving at %[1]s

First start: created an admin key. It is shown only this once; keep it safe:

  %[2]s

Open this link to sign the pages in with it (the key stays in your browser):

  %[1]s/#key=%[2]s

Pages:
  %[1]s/                writer check: warnings for a draft
  %[1]s/demo/comments   comment box with nudges
  %[1]s/moderate        moderator queue
API:
  %[1]s/v1/...          described in openapi.yaml
  %[1]s/metrics         Prometheus metrics

Make keys for publishers and moderators with:
  forewarn keys create --role publisher
  forewarn keys create --role moderator
`, url, secret)
	return nil
}

// redactDSN hides a password in a postgres:// URL before it is logged.
func redactDSN(dsn string) string {
	for i := 0; i+1 < len(dsn); i++ {
		if dsn[i] == '@' {
			if j := lastColonBefore(dsn, i); j > 0 {
				return dsn[:j+1] + "xxxxx" + dsn[i:]
			}
			break
		}
	}
	return dsn
}

func lastColonBefore(s string, end int) int {
	for i := end - 1; i >= 0 && s[i] != '/'; i-- {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}
