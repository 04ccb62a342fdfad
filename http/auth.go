package http

import (
	"crypto/sha256"
	"errors"
	"fmt"
	nethttp "net/http"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// keyCache remembers key lookups for a short time so that the hot path does
// not ask the store on every request. Unknown keys are remembered for less
// time than known ones and in a map of their own, dropped when it grows
// past max entries: a flood of made-up keys bounds its own memory without
// pushing the real keys out.
type keyCache struct {
	mu      sync.RWMutex
	entries map[[sha256.Size]byte]keyEntry
	unknown map[[sha256.Size]byte]time.Time // expiry of a "no such key"
	// revoked holds the IDs revoked here, so that a lookup that raced the
	// revocation cannot put the key back.
	revoked map[string]bool
	ttl     time.Duration
	negTTL  time.Duration
	max     int
}

type keyEntry struct {
	key     *forewarn.Key // nil: no such key
	expires time.Time
}

func newKeyCache(ttl time.Duration) *keyCache {
	neg := ttl / 10
	if neg > time.Second {
		neg = time.Second
	}
	return &keyCache{entries: make(map[[sha256.Size]byte]keyEntry), unknown: make(map[[sha256.Size]byte]time.Time), revoked: make(map[string]bool), ttl: ttl, negTTL: neg, max: 10000}
}

func (c *keyCache) get(h [sha256.Size]byte, now time.Time) (keyEntry, bool) {
	c.mu.RLock()
	e, ok := c.entries[h]
	if !ok {
		var exp time.Time
		exp, ok = c.unknown[h]
		e = keyEntry{expires: exp}
	}
	c.mu.RUnlock()
	if !ok || now.After(e.expires) {
		return keyEntry{}, false
	}
	return e, true
}

func (c *keyCache) put(h [sha256.Size]byte, k *forewarn.Key, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k == nil {
		if len(c.unknown) >= c.max {
			clear(c.unknown)
		}
		c.unknown[h] = now.Add(c.negTTL)
		return
	}
	if c.revoked[k.ID] {
		return
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
	c.entries[h] = keyEntry{key: k, expires: now.Add(c.ttl)}
}

// forget drops the cached lookups of the key with the given ID, so that a
// key revoked here stops working here at once.
func (c *keyCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.revoked[id] = true
	for h, e := range c.entries {
		if e.key != nil && e.key.ID == id {
			delete(c.entries, h)
		}
	}
}

// bearer extracts the key from an "Authorization: Bearer KEY" header.
func bearer(r *nethttp.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	secret := strings.TrimSpace(h[len(prefix):])
	return secret, secret != ""
}

// authenticate returns the key the request carries, or ErrUnauthorized.
func (s *Server) authenticate(r *nethttp.Request) (*forewarn.Key, error) {
	secret, ok := bearer(r)
	if !ok {
		return nil, fmt.Errorf("%w: send Authorization: Bearer KEY", forewarn.ErrUnauthorized)
	}
	h := sha256.Sum256([]byte(secret))
	now := s.now()
	if e, ok := s.keys.get(h, now); ok {
		if e.key == nil {
			return nil, fmt.Errorf("%w: unknown key", forewarn.ErrUnauthorized)
		}
		return e.key, nil
	}
	k, err := s.cfg.Store.KeyByHash(r.Context(), h[:])
	switch {
	case errors.Is(err, forewarn.ErrNotFound):
		s.keys.put(h, nil, now)
		return nil, fmt.Errorf("%w: unknown key", forewarn.ErrUnauthorized)
	case err != nil:
		return nil, fmt.Errorf("look up key: %w", err)
	}
	s.keys.put(h, k, now)
	return k, nil
}
