package http_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

// FuzzComment sends arbitrary bodies to the comment endpoint: no body may
// yield a 5xx, and every error is the documented JSON shape.
func FuzzComment(f *testing.F) {
	for _, s := range []string{`{"text":"hi","author":"a"}`, `{"text":5}`, `{"text":"\ud800","author":"x"}`, "{\"text\":\"\xff\"}", `[]`, `{"text":"a","author":"b"}{}`, ``} {
		f.Add(s)
	}
	st := newMemStore()
	h := sha256.Sum256([]byte(publisherKey))
	st.CreateKey(context.Background(), &forewarn.Key{ID: "k", Role: forewarn.RolePublisher}, h[:])
	st.CreatePost(context.Background(), &forewarn.Post{ID: "p", Sensitive: true})
	srv := fwhttp.NewServer(fwhttp.Config{Store: st, Detector: fakeDetector{}, Moderator: fakeModerator{}, RateLimit: -1, BodyLimit: 1024})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/v1/posts/p/comments", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+publisherKey)
		req.Header.Set("Idempotency-Key", "fuzz")
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%q: status %d %s", body, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("%q: error body %s", body, w.Body)
			}
		}
	})
}
