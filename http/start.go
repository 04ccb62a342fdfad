package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// FirstAdminID is the ID of the admin key a server creates on its first
// start, so that a later start can tell that it already did.
const FirstAdminID = "k_first_admin"

// CreateFirstAdmin creates the admin key of a first start in store, with
// a secret read from random, and returns the secret; it returns "" when an
// earlier start created it.
func CreateFirstAdmin(ctx context.Context, store forewarn.Store, random io.Reader) (string, error) {
	secret, err := forewarn.IssueKey(ctx, store, &forewarn.Key{ID: FirstAdminID, Role: forewarn.RoleAdmin}, random)
	if errors.Is(err, forewarn.ErrConflict) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("create first admin key: %w", err)
	}
	return secret, nil
}

// SignInText is what the first start tells its operator: the admin key,
// shown once, and the link that signs the pages in with it.
func SignInText(url, secret string) string {
	return fmt.Sprintf(`First start: created an admin key. It is shown only this once; keep it safe:

  %[2]s

Open this link to sign the pages in with it (the key stays in your browser):

  %[1]s/#key=%[2]s
`, url, secret)
}

// WriteFirstStart writes what the operator does next on a first start:
// make keys, and set the crisis line (when noNumber says the policy has
// none yet) and the follow-up promise of the support text.
func WriteFirstStart(w io.Writer, support forewarn.SupportInfo, noNumber bool) {
	fmt.Fprintf(w, `
Make keys for publishers and moderators with:
  forewarn keys create --role publisher
  forewarn keys create --role moderator

Support: a commenter who may be at risk is told to call %s.
`, support.Number)
	if noNumber {
		fmt.Fprint(w, `  That is no number yet. Set your crisis line with
    forewarn serve --support-number "988 (call or text, US)"
  or FOREWARN_SUPPORT_NUMBER, or support_number in a --policy file.
`)
	}
	if !support.FollowUp {
		fmt.Fprint(w, `  The text promises no follow-up. If your team will check in on them, add
  --support-follow-up, and register a webhook for comment.support:
    forewarn webhooks add https://your-site.example/hooks/forewarn
`)
	}
	fmt.Fprintln(w)
}

// WritePages writes the addresses of the pages and the API of the server
// at url.
func WritePages(w io.Writer, url string) {
	fmt.Fprintf(w, `forewarn is serving at %[1]s
Pages:
  %[1]s/                writer check: warnings for a draft
  %[1]s/demo/comments   comment box with nudges
  %[1]s/demo/post       a post with its published comments, as a site shows them
  %[1]s/moderate        moderator queue
API:
  %[1]s/openapi.yaml    the API description (endpoints under %[1]s/v1/)
  %[1]s/v1/version      which build is running
  %[1]s/metrics         Prometheus metrics (admin key, or serve --metrics-addr)
`, url)
}

// MetricsHandlerFor returns a /metrics handler for cs and the Go runtime
// and process collectors, for a process that serves no API.
func MetricsHandlerFor(cs ...prometheus.Collector) nethttp.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(cs...)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := nethttp.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// ServeMetrics serves h on addr, without keys, in the background, for
// Prometheus on a port of its own. It returns the listening address and
// a function that stops the server.
func ServeMetrics(addr string, h nethttp.Handler) (net.Addr, func() error, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: %w", err)
	}
	srv := &nethttp.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return ln.Addr(), srv.Close, nil
}
