// Package http serves forewarn over HTTP: a JSON API for publishers and
// moderators, Prometheus metrics, and the web pages mounted beside them.
package http

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	nethttp "net/http"
	"runtime"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Defaults for the zero values of Config.
const (
	DefaultBodyLimit = 1 << 20
	// DefaultMaxTextLen is 20 KB: the longest comments in the public
	// comment datasets the models learn from (Civil Comments, Reddit) are
	// a few thousand characters, and a 20 KB comment still takes the
	// models only milliseconds.
	DefaultMaxTextLen = 20 << 10
	// DefaultRateLimit is 100 requests a second per key: a busy site's
	// comment box sends a few comments a second at peak; the rest is room
	// for nudges as people type.
	DefaultRateLimit = 100
	// DefaultAddrRateLimit is 200 requests a second per client address,
	// counted before the key is checked, so that made-up keys cannot make
	// the server look up keys without bound; it is twice the per-key rate
	// so that one publisher's server can use its key in full.
	DefaultAddrRateLimit = 200
	// DefaultQueueBytes caps a queue reply at 1 MiB, as a request body is.
	DefaultQueueBytes = 1 << 20
	// DefaultRequestTimeout is well above the slowest request seen in the
	// load tests (a 1 MB article takes about 0.2 s to warn on one core).
	DefaultRequestTimeout = 10 * time.Second
	// DefaultSlotWait is how long a heavy request waits for a free slot
	// before it is turned away with 503.
	DefaultSlotWait = 2 * time.Second
	// DefaultKeyCacheTTL bounds how long a revoked key keeps working on
	// the instances that did not revoke it.
	DefaultKeyCacheTTL       = 2 * time.Second
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 15 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
)

// Config is what a Server needs. Store, Detector and Moderator are required;
// zero values of the rest take the defaults above.
type Config struct {
	Store     forewarn.Store
	Detector  forewarn.Detector
	Moderator forewarn.Moderator
	// Intake takes in new comments; nil means Store does. With an intake
	// that queues comments (the nats adapter), a new comment reaches the
	// store, and the review queue, once a worker has saved it.
	Intake forewarn.Intake
	// Collectors are extra Prometheus collectors served at /metrics, such
	// as the lag of the intake's queue.
	Collectors []prometheus.Collector
	// Web serves the pages at /, /demo/comments, /demo/post, /moderate and /static/;
	// nil answers those paths with a JSON 404.
	Web    nethttp.Handler
	Logger *slog.Logger
	// Now is the clock used for timestamps, key caching and rate limits.
	Now func() time.Time
	// Rand is the source of comment and post IDs.
	Rand io.Reader
	// AccessLog, when set, gets one JSON line per request.
	AccessLog io.Writer
	// Support is what the site tells a commenter who may be at risk, served
	// at GET /v1/support so that every page shows the same text.
	Support forewarn.SupportInfo

	// BodyLimit caps request bodies in bytes; larger bodies get 413.
	BodyLimit int64
	// MaxTextLen caps the text of a comment or a nudge draft in bytes;
	// longer texts get 413.
	MaxTextLen int
	// QueueBytes caps the JSON of a queue reply; the comments that do not
	// fit are left for the next page.
	QueueBytes int
	// RateLimit is the requests per second each key may make on average
	// (negative: no limit); RateBurst how many it may make at once
	// (default: one second's worth).
	RateLimit float64
	RateBurst int
	// AddrRateLimit and AddrRateBurst limit each client address the same
	// way, before its key is checked.
	AddrRateLimit float64
	AddrRateBurst int
	// MaxInFlight bounds the requests that run the models at once
	// (default: the number of CPUs); others wait up to SlotWait for a
	// turn and then get 503 with Retry-After.
	MaxInFlight int
	SlotWait    time.Duration
	// RequestTimeout is each API request's deadline. A request past it is
	// answered 503 and stores nothing.
	RequestTimeout time.Duration
	// KeyCacheTTL is how long a key lookup is remembered.
	KeyCacheTTL time.Duration

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Intake == nil {
		c.Intake = c.Store
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.BodyLimit <= 0 {
		c.BodyLimit = DefaultBodyLimit
	}
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.RateBurst <= 0 {
		c.RateBurst = max(1, int(c.RateLimit))
	}
	if c.AddrRateLimit == 0 {
		c.AddrRateLimit = DefaultAddrRateLimit
	}
	if c.AddrRateBurst <= 0 {
		c.AddrRateBurst = max(1, int(c.AddrRateLimit))
	}
	if c.MaxTextLen <= 0 {
		c.MaxTextLen = DefaultMaxTextLen
	}
	if c.QueueBytes <= 0 {
		c.QueueBytes = DefaultQueueBytes
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = max(2, runtime.GOMAXPROCS(0))
	}
	if c.KeyCacheTTL <= 0 {
		c.KeyCacheTTL = DefaultKeyCacheTTL
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&c.ReadTimeout, DefaultReadTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	def(&c.SlotWait, DefaultSlotWait)
	def(&c.RequestTimeout, DefaultRequestTimeout)
}

// Server is the forewarn HTTP server.
type Server struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	handler nethttp.Handler
	srv     *nethttp.Server
	keys    *keyCache
	limiter *limiter
	addrs   *limiter
	heavy   *slots
	prom    nethttp.Handler
	ready   readyCache
	metrics *metrics
	posts   *postCache

	mu sync.Mutex
	ln net.Listener
}

// NewServer returns a server for cfg. Call Open or Serve to start it.
func NewServer(cfg Config) *Server {
	cfg.setDefaults()
	s := &Server{
		cfg:     cfg,
		log:     cfg.Logger,
		now:     cfg.Now,
		keys:    newKeyCache(cfg.KeyCacheTTL),
		limiter: newLimiter(cfg.RateLimit, cfg.RateBurst),
		addrs:   newLimiter(cfg.AddrRateLimit, cfg.AddrRateBurst),
		heavy:   newSlots(cfg.MaxInFlight, cfg.SlotWait),
		metrics: newMetrics(cfg.Store, cfg.Logger, cfg.Now, cfg.Collectors...),
		posts:   newPostCache(4096, cfg.Now),
	}
	s.handler = s.routes()
	if cfg.AccessLog != nil {
		s.handler = accessLog(s.handler, cfg.AccessLog, cfg.Now)
	}
	s.srv = &nethttp.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// MetricsHandler serves the Prometheus metrics without a key, for a
// listener of their own that only the monitoring system reaches.
func (s *Server) MetricsHandler() nethttp.Handler { return s.prom }

// Handler returns the server's handler, for tests and for embedding.
func (s *Server) Handler() nethttp.Handler { return s.handler }

// Open listens on addr (":0" picks a free port) and serves in the
// background until Close.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Record the listener now, so that Addr is set when Open returns.
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	go func() {
		if err := s.Serve(ln); err != nil {
			s.log.Error("serve", slog.Any("err", err))
		}
	}()
	return nil
}

// Serve serves on ln until Close. It returns nil after a graceful Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	if err := s.srv.Serve(ln); !errors.Is(err, nethttp.ErrServerClosed) {
		return err
	}
	return nil
}

// Addr returns the address the server listens on, or nil before it serves.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// URL returns the base URL of the server, with a loopback host when it
// listens on all interfaces.
func (s *Server) URL() string {
	a, ok := s.Addr().(*net.TCPAddr)
	if !ok {
		return ""
	}
	host := "localhost"
	if a.IP != nil && !a.IP.IsUnspecified() {
		host = a.IP.String()
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// Close stops accepting connections and waits, until ctx ends, for the
// requests in flight to finish.
func (s *Server) Close(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// handlerFunc is an API handler: it writes a response or returns an error
// for the route to write. key is nil on routes without a role.
type handlerFunc func(w nethttp.ResponseWriter, r *nethttp.Request, key *forewarn.Key) error

// route wraps a handler with the method check, authentication, rate
// limiting, error writing, panic recovery and metrics every route shares.
type route struct {
	s      *Server
	name   string
	method string
	role   forewarn.Role // empty: no key needed
	// also is a second role that may use the route (a read that publishers
	// and moderators share).
	also forewarn.Role
	// heavy routes run the models and wait for one of the server's slots.
	heavy bool
	h     handlerFunc
}

// statusWriter remembers the status a handler wrote, for metrics.
type statusWriter struct {
	nethttp.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = nethttp.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }

func (rt *route) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == nethttp.ErrAbortHandler {
				panic(p)
			}
			rt.s.log.Error("panic", slog.String("path", r.URL.Path), slog.Any("panic", p))
			if sw.code == 0 {
				rt.s.writeError(sw, r, fmt.Errorf("panic: %v", p))
			}
		}
		code := sw.code
		if code == 0 {
			code = nethttp.StatusOK
		}
		rt.s.metrics.observe(rt.name, code, time.Since(start))
	}()
	if err := rt.serve(sw, r); err != nil {
		rt.s.writeError(sw, r, err)
	}
}

func (rt *route) serve(w nethttp.ResponseWriter, r *nethttp.Request) error {
	// Replies are JSON for one client: never sniffed, never cached.
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if rt.method != "" && r.Method != rt.method && (rt.method != nethttp.MethodGet || r.Method != nethttp.MethodHead) {
		w.Header().Set("Allow", rt.method)
		return fmt.Errorf("%w: use %s", errMethod, rt.method)
	}
	var key *forewarn.Key
	if rt.role != "" {
		if ok, wait := rt.s.addrs.allow(clientAddr(r), rt.s.now()); !ok {
			return &rateLimitError{retry: wait}
		}
		k, err := rt.s.authenticate(r)
		if err != nil {
			return err
		}
		if !k.Role.Allows(rt.role) && (rt.also == "" || !k.Role.Allows(rt.also)) {
			need := string(rt.role)
			if rt.also != "" {
				need += " or " + string(rt.also)
			}
			return fmt.Errorf("%w: this needs a %s key", forewarn.ErrForbidden, need)
		}
		if ok, wait := rt.s.limiter.allow(k.ID, rt.s.now()); !ok {
			return &rateLimitError{retry: wait}
		}
		key = k
	}
	ctx, cancel := context.WithTimeout(r.Context(), rt.s.cfg.RequestTimeout)
	defer cancel()
	r = r.WithContext(ctx)
	if rt.heavy {
		if err := rt.s.heavy.acquire(ctx); err != nil {
			return err
		}
		defer rt.s.heavy.release()
	}
	return rt.h(w, r, key)
}

func (s *Server) routes() nethttp.Handler {
	mux := nethttp.NewServeMux()
	handle := func(pattern, name, method string, role forewarn.Role, h handlerFunc) {
		mux.Handle(pattern, &route{s: s, name: name, method: method, role: role, h: h})
	}
	heavy := func(pattern, name string, h handlerFunc) {
		mux.Handle(pattern, &route{s: s, name: name, method: nethttp.MethodPost, role: forewarn.RolePublisher, heavy: true, h: h})
	}
	prom := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)})
	handle("/healthz", "healthz", nethttp.MethodGet, "", s.healthz)
	s.prom = prom
	handle("/readyz", "readyz", nethttp.MethodGet, "", s.readyz)
	handle("/metrics", "metrics", nethttp.MethodGet, forewarn.RoleAdmin, func(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
		prom.ServeHTTP(w, r)
		return nil
	})
	handle("/v1/keys", "keys", nethttp.MethodGet, forewarn.RoleAdmin, s.listKeys)
	handle("/v1/keys/{id}", "key", nethttp.MethodDelete, forewarn.RoleAdmin, s.revokeKey)
	handle("/v1/version", "version", nethttp.MethodGet, "", s.version)
	handle("/v1/support", "support", nethttp.MethodGet, forewarn.RolePublisher, s.support)
	heavy("/v1/warnings", "warnings", s.createWarning)
	heavy("/v1/posts", "posts", s.createPost)
	methods := func(pattern string, rs ...*route) {
		mux.Handle(pattern, s.byMethod(rs...))
	}
	methods("/v1/posts/{post}",
		&route{s: s, name: "post", method: nethttp.MethodGet, role: forewarn.RolePublisher, also: forewarn.RoleModerator, h: s.getPost},
		&route{s: s, name: "post_update", method: nethttp.MethodPut, role: forewarn.RolePublisher, heavy: true, h: s.updatePost},
		&route{s: s, name: "post_delete", method: nethttp.MethodDelete, role: forewarn.RolePublisher, h: s.deletePost})
	methods("/v1/posts/{post}/comments",
		&route{s: s, name: "comments", method: nethttp.MethodPost, role: forewarn.RolePublisher, heavy: true, h: s.createComment},
		&route{s: s, name: "post_comments", method: nethttp.MethodGet, role: forewarn.RolePublisher, also: forewarn.RoleModerator, h: s.listComments})
	methods("/v1/comments/{id}", &route{s: s, name: "comment", method: nethttp.MethodGet, role: forewarn.RolePublisher, also: forewarn.RoleModerator, h: s.getComment})
	handle("/v1/comments/{id}/audit", "audit", nethttp.MethodGet, forewarn.RoleModerator, s.audit)
	methods("/v1/webhooks",
		&route{s: s, name: "webhooks", method: nethttp.MethodGet, role: forewarn.RoleAdmin, h: s.listWebhooks},
		&route{s: s, name: "webhook_create", method: nethttp.MethodPost, role: forewarn.RoleAdmin, h: s.createWebhook})
	handle("/v1/webhooks/{id}", "webhook_delete", nethttp.MethodDelete, forewarn.RoleAdmin, s.deleteWebhook)
	handle("/v1/webhooks/deliveries", "deliveries", nethttp.MethodGet, forewarn.RoleModerator, s.deliveries)
	handle("/openapi.yaml", "openapi", nethttp.MethodGet, "", s.openAPI)
	heavy("/v1/nudge", "nudge", s.nudge)
	handle("/v1/queue", "queue", nethttp.MethodGet, forewarn.RoleModerator, s.queue)
	handle("/v1/comments/{id}/decision", "decision", nethttp.MethodPost, forewarn.RoleModerator, s.decide)
	notFound := &route{s: s, name: "other", h: s.notFound}
	mux.Handle("/v1/", notFound)
	if s.cfg.Web != nil {
		for _, p := range []string{"/", "/demo/comments", "/demo/post", "/moderate", "/static/"} {
			mux.Handle(p, s.cfg.Web)
		}
	} else {
		mux.Handle("/", notFound)
	}
	return mux
}

func (s *Server) notFound(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	return fmt.Errorf("%w: no such endpoint %s", forewarn.ErrNotFound, r.URL.Path)
}
