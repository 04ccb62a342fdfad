package http

import (
	"encoding/json"
	"io"
	"net"
	nethttp "net/http"
	"sync"
	"time"
)

// accessEntry is one line of the access log: JSON Lines, one request a
// line, written when the response is done. It never holds the
// Authorization header or a request body.
type accessEntry struct {
	Time       time.Time `json:"time"`
	Remote     string    `json:"remote"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	Bytes      int64     `json:"bytes"`
	DurationMS float64   `json:"duration_ms"`
	UserAgent  string    `json:"user_agent,omitempty"`
}

// accessLog wraps next so that every request, to the API and to the pages,
// adds a line to w.
func accessLog(next nethttp.Handler, w io.Writer, now func() time.Time) nethttp.Handler {
	var mu sync.Mutex
	return nethttp.HandlerFunc(func(rw nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		cw := &countingWriter{ResponseWriter: rw}
		defer func() {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				host = r.RemoteAddr
			}
			status := cw.code
			if status == 0 {
				status = nethttp.StatusOK
			}
			b, _ := json.Marshal(accessEntry{
				Time: now().UTC(), Remote: host, Method: r.Method, Path: r.URL.Path,
				Status: status, Bytes: cw.n, DurationMS: float64(time.Since(start).Microseconds()) / 1000,
				UserAgent: r.UserAgent(),
			})
			mu.Lock()
			w.Write(append(b, '\n'))
			mu.Unlock()
		}()
		next.ServeHTTP(cw, r)
	})
}

// countingWriter remembers the status and counts the body bytes written.
type countingWriter struct {
	nethttp.ResponseWriter
	code int
	n    int64
}

func (w *countingWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = nethttp.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *countingWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }
