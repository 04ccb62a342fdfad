package http

import (
	"context"
	"errors"
	"fmt"
	nethttp "net/http"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// readyTTL is how long a readiness answer is reused, so that probes (every
// few seconds from a load balancer, or a flood from anyone) cost at most
// one write a second.
const readyTTL = time.Second

// readyCache remembers the store's last readiness answer.
type readyCache struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// readyz answers 200 when the store takes writes, 503 otherwise. Unlike
// /healthz, which says the process is alive, it says whether this instance
// should get traffic.
func (s *Server) readyz(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	c := &s.ready
	c.mu.Lock()
	if now := s.now(); c.at.IsZero() || now.Sub(c.at) >= readyTTL {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		c.err = s.cfg.Store.Ready(ctx)
		cancel()
		c.at = now
	}
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return &forewarn.UnavailableError{Reason: "the database does not take writes: " + err.Error(), RetryAfter: readyTTL}
	}
	s.writeJSON(w, nethttp.StatusOK, struct {
		Status string `json:"status"`
	}{"ready"})
	return nil
}

type keysResponse struct {
	Keys []forewarn.Key `json:"keys"`
}

func (s *Server) listKeys(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	keys, err := s.cfg.Store.Keys(r.Context())
	if err != nil {
		return fmt.Errorf("list keys: %w", err)
	}
	s.writeJSON(w, nethttp.StatusOK, keysResponse{Keys: keys})
	return nil
}

// revokeKey revokes a key. This instance forgets it at once; others stop
// taking it when their cached lookup expires (KeyCacheTTL).
func (s *Server) revokeKey(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	id := r.PathValue("id")
	if !validID(id) {
		return notFound("no key %q", id)
	}
	err := s.cfg.Store.RevokeKey(r.Context(), id)
	if errors.Is(err, forewarn.ErrNotFound) {
		return notFound("no key %q", id)
	} else if err != nil {
		return fmt.Errorf("revoke key: %w", err)
	}
	s.keys.forget(id)
	w.WriteHeader(nethttp.StatusNoContent)
	return nil
}
