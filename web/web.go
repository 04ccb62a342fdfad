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
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// webPage is one page: its route, its name in the navigation, and its HTML
// template in assets, which fills in the shared head, header and footer
// of layout.html with the page's title and script.
type webPage struct {
	Route, Name, File, Title, Script string
	// KeyLabel names the key the sign-in form asks for; the page's
	// "signin-help" template says where to get one.
	KeyLabel string
	// Nav is every page, for the navigation.
	Nav []webPage
}

// pages lists the pages in the order of the navigation.
var pages = []webPage{
	{Route: "/", Name: "Writer check", File: "index.html", Title: "Writer check", Script: "writer.js", KeyLabel: "API key"},
	{Route: "/demo/comments", Name: "Comment box", File: "comments.html", Title: "Comment box", Script: "comments.js", KeyLabel: "API key"},
	{Route: "/demo/post", Name: "Site page", File: "post.html", Title: "A post and its comments", Script: "post.js", KeyLabel: "API key"},
	{Route: "/moderate", Name: "Moderator queue", File: "moderate.html", Title: "Moderator queue", Script: "moderate.js", KeyLabel: "Moderator key"},
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
		files[p] = newFile(p, b)
		return nil
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	for _, pg := range pages {
		pg.Nav = pages
		var b bytes.Buffer
		tmpl := template.Must(template.ParseFS(root, "layout.html", pg.File))
		if err := tmpl.ExecuteTemplate(&b, pg.File, pg); err != nil {
			panic(err) // the templates are fixed at build time
		}
		pattern := "GET " + pg.Route
		if pg.Route == "/" {
			pattern = "GET /{$}"
		}
		mux.Handle(pattern, serveFile(newFile(pg.File, b.Bytes())))
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

// newFile returns the asset name with body b and its validator.
func newFile(name string, b []byte) file {
	sum := sha256.Sum256(b)
	return file{body: b, ctype: contentType(name), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
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
