package http_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

func TestKeys(t *testing.T) { eachStore(t, testKeys) }

// An admin lists and revokes keys; a revoked key gets 401 on this instance
// at once, well within a second.
func testKeys(t *testing.T, st forewarn.Store) {
	e := newEnv(t, fwhttp.Config{Store: st, KeyCacheTTL: time.Hour})
	var list struct{ Keys []forewarn.Key }
	e.do("GET", "/v1/keys", adminKey, "").mustStatus(t, 200).json(t, &list)
	if len(list.Keys) != 3 {
		t.Fatalf("listed %+v, want the 3 test keys", list.Keys)
	}
	e.do("GET", "/v1/keys", publisherKey, "").mustStatus(t, 403)
	e.do("DELETE", "/v1/keys/k-pub", moderatorKey, "").mustStatus(t, 403)
	e.do("DELETE", "/v1/keys/k-nope", adminKey, "").mustStatus(t, 404)
	e.do("POST", "/v1/keys/k-pub", adminKey, `{}`).mustStatus(t, 405)

	// The publisher key is cached (the TTL is an hour) before it is revoked.
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"hello"}`).mustStatus(t, 200)
	e.do("DELETE", "/v1/keys/k-pub", adminKey, "").mustStatus(t, 204)
	revoked := time.Now()
	e.do("POST", "/v1/nudge", publisherKey, `{"text":"hello"}`).mustStatus(t, 401)
	if d := time.Since(revoked); d > time.Second {
		t.Errorf("revoked key refused after %v", d)
	} else {
		t.Logf("revoked key refused %v after the revocation was answered", d)
	}
	e.do("DELETE", "/v1/keys/k-pub", adminKey, "").mustStatus(t, 204)
	e.do("GET", "/v1/keys", adminKey, "").mustStatus(t, 200).json(t, &list)
	for _, k := range list.Keys {
		if (k.RevokedAt != nil) != (k.ID == "k-pub") {
			t.Errorf("key %s revoked at %v", k.ID, k.RevokedAt)
		}
	}
	e.do("GET", "/v1/queue", moderatorKey, "").mustStatus(t, 200)
}

func TestReadyz(t *testing.T) {
	st := newMemStore()
	var mu sync.Mutex
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, fwhttp.Config{Store: st, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	e.do("GET", "/readyz", "", "").mustStatus(t, 200)
	st.mu.Lock()
	st.failReady = errors.New("disk full at /var/lib/secret")
	st.mu.Unlock()
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	r := e.do("GET", "/readyz", "", "").mustStatus(t, 503)
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	// Liveness does not depend on the database.
	e.do("GET", "/healthz", "", "").mustStatus(t, 200)
}

// TestMetricsQueueDepthCached checks that scrapes within the cache's
// lifetime count the queue once, and that the count is refreshed after it.
func TestMetricsQueueDepthCached(t *testing.T) {
	st := newMemStore()
	var mu sync.Mutex
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, fwhttp.Config{Store: st, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	reads := func() int { st.mu.Lock(); defer st.mu.Unlock(); return st.depthReads }
	for range 5 {
		e.do("GET", "/metrics", adminKey, "").mustStatus(t, 200)
	}
	if n := reads(); n != 1 {
		t.Errorf("5 scrapes counted the queue %d times, want 1", n)
	}
	mu.Lock()
	now = now.Add(11 * time.Second)
	mu.Unlock()
	e.do("GET", "/metrics", adminKey, "").mustStatus(t, 200)
	if n := reads(); n != 2 {
		t.Errorf("a scrape after the cache expired: %d counts, want 2", n)
	}
}
