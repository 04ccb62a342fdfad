package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	nethttp "net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/forewarn/forewarn"
)

// bufPool recycles request and response buffers on the hot path.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 { // let big buffers go so one large body does not pin memory
		bufPool.Put(b)
	}
}

// isJSON reports whether a Content-Type names JSON in UTF-8.
func isJSON(ct string) bool {
	if ct == "application/json" || ct == "application/json; charset=utf-8" {
		return true
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

// decode reads a JSON object from the request body into v, strictly: the
// content type must be JSON, the body within the limit, valid UTF-8, a
// single object with no unknown fields and nothing after it.
func (s *Server) decode(r *nethttp.Request, v any) error {
	if !isJSON(r.Header.Get("Content-Type")) {
		return fmt.Errorf("%w: Content-Type must be application/json", errMediaType)
	}
	limit := s.cfg.BodyLimit
	if r.ContentLength > limit {
		return fmt.Errorf("%w: body is larger than %d bytes", forewarn.ErrTooLarge, limit)
	}
	buf := getBuf()
	defer putBuf(buf)
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1)); err != nil {
		return invalid("read body: %v", err)
	}
	if int64(buf.Len()) > limit {
		return fmt.Errorf("%w: body is larger than %d bytes", forewarn.ErrTooLarge, limit)
	}
	body := buf.Bytes()
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("body is empty")
	}
	if !utf8.Valid(body) {
		return invalid("body is not valid UTF-8")
	}
	if body[firstNonSpace(body)] != '{' {
		return invalid("body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("unexpected data after the JSON object")
	}
	return nil
}

func firstNonSpace(b []byte) int {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return 0
}

// jsonError turns a decoding error into an ErrInvalid with a message that
// names the problem without echoing Go types.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return invalid("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalid("body must be a JSON object")
		}
		return invalid("field %q has the wrong type", typ.Field)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return invalid("malformed JSON: unexpected end of body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return invalid("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return invalid("malformed JSON")
}

// writeJSON writes v as the JSON response body with the given status.
func (s *Server) writeJSON(w nethttp.ResponseWriter, status int, v any) {
	buf := getBuf()
	defer putBuf(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.log.Error("encode response", "err", err)
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
		status = nethttp.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
