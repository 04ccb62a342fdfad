package http

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/forewarn/forewarn"
)

// Errors of the HTTP layer that have no domain counterpart.
var (
	errMethod    = errors.New("method not allowed")
	errMediaType = errors.New("unsupported media type")
)

// rateLimitError is ErrRateLimited with the time until the next token.
type rateLimitError struct{ retry time.Duration }

func (e *rateLimitError) Error() string { return "rate limited: slow down" }
func (e *rateLimitError) Unwrap() error { return forewarn.ErrRateLimited }

// clientError is a domain error with the message the client sees, written
// once rather than built from every layer's context.
type clientError struct {
	kind error // a forewarn sentinel
	msg  string
}

func (e *clientError) Error() string { return e.msg }
func (e *clientError) Unwrap() error { return e.kind }

// invalid returns an ErrInvalid with a client-facing message.
func invalid(format string, args ...any) error {
	return &clientError{forewarn.ErrInvalid, fmt.Sprintf(format, args...)}
}

// tooLarge returns an ErrTooLarge with a client-facing message.
func tooLarge(format string, args ...any) error {
	return &clientError{forewarn.ErrTooLarge, fmt.Sprintf(format, args...)}
}

// notFound returns an ErrNotFound with a client-facing message.
func notFound(format string, args ...any) error {
	return &clientError{forewarn.ErrNotFound, fmt.Sprintf(format, args...)}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorStatus maps an error to its HTTP status and error code. It is the one
// place where domain errors become statuses.
func errorStatus(err error) (status int, code string) {
	switch {
	case errors.Is(err, forewarn.ErrInvalid):
		return nethttp.StatusBadRequest, "invalid"
	case errors.Is(err, forewarn.ErrNotFound):
		return nethttp.StatusNotFound, "not_found"
	case errors.Is(err, forewarn.ErrConflict):
		return nethttp.StatusConflict, "conflict"
	case errors.Is(err, forewarn.ErrUnauthorized):
		return nethttp.StatusUnauthorized, "unauthorized"
	case errors.Is(err, forewarn.ErrForbidden):
		return nethttp.StatusForbidden, "forbidden"
	case errors.Is(err, forewarn.ErrTooLarge):
		return nethttp.StatusRequestEntityTooLarge, "too_large"
	case errors.Is(err, forewarn.ErrRateLimited):
		return nethttp.StatusTooManyRequests, "rate_limited"
	case errors.Is(err, forewarn.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		// A store call that ran out of the request's deadline (a busy
		// database) is the server being slow, not broken: the client may
		// retry with the same Idempotency-Key, as after any 503.
		return nethttp.StatusServiceUnavailable, "unavailable"
	case errors.Is(err, errMethod):
		return nethttp.StatusMethodNotAllowed, "method_not_allowed"
	case errors.Is(err, errMediaType):
		return nethttp.StatusUnsupportedMediaType, "unsupported_media_type"
	}
	return nethttp.StatusInternalServerError, "internal"
}

// writeError writes err as a JSON error. Internal errors are logged and
// shown with a generic message so that no detail of the server leaks.
func (s *Server) writeError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	status, code := errorStatus(err)
	msg := err.Error()
	if ce := (*clientError)(nil); errors.As(err, &ce) {
		msg = ce.msg
	}
	switch status {
	case nethttp.StatusInternalServerError:
		s.log.Error("request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		msg = "internal error"
	case nethttp.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="forewarn"`)
	case nethttp.StatusTooManyRequests:
		var rl *rateLimitError
		if errors.As(err, &rl) {
			setRetryAfter(w, rl.retry)
		} else {
			setRetryAfter(w, 0)
		}
	case nethttp.StatusServiceUnavailable:
		// The cause (a full queue, a lost connection) is logged, not shown.
		s.log.Warn("request refused", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		var ue *forewarn.UnavailableError
		if errors.As(err, &ue) {
			setRetryAfter(w, ue.RetryAfter)
		} else {
			setRetryAfter(w, 0)
		}
		msg = "the service cannot take this request now; retry it later with the same Idempotency-Key"
	}
	s.writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// setRetryAfter sets Retry-After to d in whole seconds, at least one.
func setRetryAfter(w nethttp.ResponseWriter, d time.Duration) {
	secs := 1
	if d > time.Second {
		secs = int((d + time.Second - 1) / time.Second)
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}
