// Package web serves forewarn's pages: the writer check (/), the comment
// box with its nudge (/demo/comments), a post with its published comments as
// a publisher's site shows them (/demo/post) and the moderator queue
// (/moderate), with their scripts and styles under /static/.
//
// The pages are plain HTML, CSS and JavaScript embedded in the binary: no
// build step, no CDN, no external fonts. They talk to the JSON API on the
// same origin (/v1/...) with a bearer key that the reader enters once per
// browser tab; the key lives in sessionStorage, never in a cookie, so the API
// needs no CSRF defence for the pages. A link of the form /#key=KEY signs the
// tab in directly, which lets the server print one link on its first start.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// pages maps each page's path to its HTML file in assets.
var pages = map[string]string{
	"/":              "index.html",
	"/demo/comments": "comments.html",
	"/demo/post":     "post.html",
	"/moderate":      "moderate.html",
}

// contentSecurityPolicy allows only what the binary serves: the pages load
// no third-party script, style or font, and may call only their own origin.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// file is one embedded asset with its validator.
type file struct {
	body  []byte
	ctype string
	etag  string
}

// Handler returns the handler for the pages and their static files. Mount it
// at the root of the server; it answers 404 for any other path.
func Handler() http.Handler {
	root, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := map[string]file{}
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		files[p] = file{body: b, ctype: contentType(p), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	for route, name := range pages {
		pattern := "GET " + route
		if route == "/" {
			pattern = "GET /{$}"
		}
		mux.Handle(pattern, serveFile(files[name]))
	}
	mux.HandleFunc("GET /static/{name...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		f, ok := files[name]
		if !ok || strings.HasSuffix(name, ".html") {
			http.NotFound(w, r)
			return
		}
		serveFile(f).ServeHTTP(w, r)
	})
	return mux
}

// serveFile writes f with security headers. Files are revalidated on every
// load (no-cache with an ETag) so that a new binary never meets a stale
// script in the browser's cache.
func serveFile(f file) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		if match := r.Header.Get("If-None-Match"); match != "" && match == f.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Method == http.MethodHead {
			return
		}
		w.Write(f.body)
	})
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}
