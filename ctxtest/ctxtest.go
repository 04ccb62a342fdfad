// Package ctxtest provides a context for tests of code that stops once its
// context is done: it counts how often the code looks, and is done from a
// chosen look on, so a test can tell that the code looks often enough and
// stops at the first look after the context is done.
package ctxtest

import (
	"context"
	"errors"
	"testing"
)

// Counting is a context whose Err says context.Canceled from its
// DoneAt-th call on (never when DoneAt is 0), and counts the calls in
// Calls. It is not safe for concurrent use.
type Counting struct {
	context.Context
	Calls, DoneAt int
}

// New returns a Counting context that is done from the doneAt-th call of
// Err on (never when doneAt is 0).
func New(doneAt int) *Counting { return &Counting{Context: context.Background(), DoneAt: doneAt} }

// Err implements context.Context.
func (c *Counting) Err() error {
	c.Calls++
	if c.DoneAt > 0 && c.Calls >= c.DoneAt {
		return context.Canceled
	}
	return nil
}

// CheckStops runs call under a context that is never done, then under
// contexts done from the first, the second, the middle and the last of the
// looks that run took. It fails t unless the run looks at least minLooks
// times and returns nil, and every other returns an error wrapping
// context.Canceled at the look that saw the context done, without looking
// again.
func CheckStops(t testing.TB, minLooks int, call func(ctx context.Context) error) {
	t.Helper()
	live := New(0)
	if err := call(live); err != nil {
		t.Fatalf("under a live context: %v", err)
	}
	if live.Calls < minLooks {
		t.Errorf("%d looks at the context, want at least %d", live.Calls, minLooks)
	}
	for _, at := range []int{1, 2, max(live.Calls/2, 1), max(live.Calls, 1)} {
		ctx := New(at)
		if err := call(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("done from look %d: err %v, want context.Canceled", at, err)
		}
		if ctx.Calls != at {
			t.Errorf("done from look %d: looked %d times", at, ctx.Calls)
		}
	}
}
