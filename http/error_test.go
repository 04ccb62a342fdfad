package http

import (
	"context"
	"errors"
	"fmt"
	nethttp "net/http"
	"testing"

	"github.com/forewarn/forewarn"
)

// TestErrorStatus checks the one mapping from errors to statuses, for the
// wrapped errors the stores and the moderator return.
func TestErrorStatus(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
	}{
		{fmt.Errorf("get post: %w", forewarn.ErrNotFound), nethttp.StatusNotFound},
		{invalid("bad %s", "limit"), nethttp.StatusBadRequest},
		{&forewarn.UnavailableError{Reason: "queue full"}, nethttp.StatusServiceUnavailable},
		// A store call that outlived the request's deadline.
		{fmt.Errorf("sqlite: get key: %w", context.DeadlineExceeded), nethttp.StatusServiceUnavailable},
		{errors.New("disk on fire"), nethttp.StatusInternalServerError},
	} {
		if got, _ := errorStatus(c.err); got != c.status {
			t.Errorf("errorStatus(%v) = %d, want %d", c.err, got, c.status)
		}
	}
}
