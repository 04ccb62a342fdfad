package forewarn

import (
	"context"
	"fmt"
	"time"
)

// Intake takes in new comments. A Store is an Intake that stores each
// comment itself; the nats adapter is one that appends each comment to a
// replicated log, from which workers persist them in batches.
type Intake interface {
	// CreateComment takes in c, already decided, and returns it as kept.
	// When idem is not zero and a comment was already taken in under it,
	// that comment is returned with existed true and nothing new is
	// kept. An Intake that cannot take comments for now returns an error
	// wrapping ErrUnavailable.
	CreateComment(ctx context.Context, c *Comment, idem IdempotencyKey) (stored *Comment, existed bool, err error)
}

// Accepted is a comment that an Intake took in, with the idempotency key
// it came under, on its way to the store.
type Accepted struct {
	Comment *Comment       `json:"comment"`
	Idem    IdempotencyKey `json:"idempotency_key"`
}

// BatchStore keeps comments that an Intake took in, many at a time. The
// postgres package implements it.
type BatchStore interface {
	// SaveComments stores the comments in one transaction. A comment whose
	// ID is already stored is left as it is, so saving the same batch twice
	// changes nothing. It returns, for each comment, whether it was new.
	SaveComments(ctx context.Context, cs []Accepted) (inserted []bool, err error)
}

// UnavailableError is ErrUnavailable with how long the client should wait
// before it tries again.
type UnavailableError struct {
	Reason     string
	RetryAfter time.Duration
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("unavailable: %s (retry after %s)", e.Reason, e.RetryAfter)
}

// Unwrap makes errors.Is(err, ErrUnavailable) hold.
func (e *UnavailableError) Unwrap() error { return ErrUnavailable }
