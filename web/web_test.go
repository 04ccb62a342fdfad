package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	h := Handler()
	tests := []struct {
		method, path string
		status       int
		ctype        string
		contains     string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", "<h1>Writer check</h1>"},
		{"GET", "/demo/comments", 200, "text/html; charset=utf-8", "<h1>Comment box</h1>"},
		{"GET", "/moderate", 200, "text/html; charset=utf-8", "<h1>Moderator queue</h1>"},
		{"HEAD", "/moderate", 200, "text/html; charset=utf-8", ""},
		{"GET", "/static/app.css", 200, "text/css; charset=utf-8", ":focus-visible"},
		{"GET", "/static/common.js", 200, "text/javascript; charset=utf-8", "byteMapper"},
		{"GET", "/static/writer.js", 200, "text/javascript; charset=utf-8", "/v1/warnings"},
		{"GET", "/static/comments.js", 200, "text/javascript; charset=utf-8", "/v1/nudge"},
		{"GET", "/static/moderate.js", 200, "text/javascript; charset=utf-8", "/v1/queue"},
		{"GET", "/static/index.html", 404, "", ""},
		{"GET", "/static/missing.js", 404, "", ""},
		{"GET", "/static/assets/app.css", 404, "", ""},
		{"GET", "/nope", 404, "", ""},
		{"GET", "/moderate/", 404, "", ""},
		{"POST", "/", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", got)
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
		})
	}
}

func TestHandlerNotModified(t *testing.T) {
	h := Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/static/app.css", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", "/static/app.css", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("status = %d with %d bytes, want 304 and no body", rec.Code, rec.Body.Len())
	}
}

// TestNoExternalResources keeps the pages self-contained: every URL they
// load is on the same origin.
func TestNoExternalResources(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	ref := regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"]*)"|url\(([^)]*)\)|@import|https?://`)
	for _, p := range []string{"/", "/demo/comments", "/moderate", "/static/app.css", "/static/common.js", "/static/writer.js", "/static/comments.js", "/static/moderate.js"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			u := m[1] + m[2]
			switch {
			case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"), strings.HasPrefix(u, "#"), u == "data:,":
			default:
				t.Errorf("%s loads %q", p, m[0])
			}
		}
	}
}
