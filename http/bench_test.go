package http_test

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	nethttp "net/http"
	"net/http/httptest"

	fwhttp "github.com/forewarn/forewarn/http"
)

// BenchmarkComment measures the comment hot path in process on SQLite,
// without the network: auth, decode, decide, store, encode.
func BenchmarkComment(b *testing.B) {
	e := newEnv(b, fwhttp.Config{RateLimit: -1})
	e.do("POST", "/v1/posts", publisherKey, griefPost).mustStatus(b, 201)
	h := e.srv.Handler()
	var n atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/posts/loss-1/comments", strings.NewReader(`{"text":"So sorry for your loss, thinking of you all.","author":"sam"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+publisherKey)
			req.Header.Set("Idempotency-Key", "b"+strconv.FormatInt(n.Add(1), 10))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != nethttp.StatusCreated {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
