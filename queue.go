package forewarn

import (
	"errors"
	"fmt"
)

// Queue limits: a QueueFilter with no limit gets DefaultQueueLimit, and no
// listing returns more than MaxQueueLimit comments.
const (
	DefaultQueueLimit = 50
	MaxQueueLimit     = 500
)

// Waiting reports whether a comment with status s waits for a moderator.
func (s Status) Waiting() bool { return s == StatusHeld || s == StatusSupport }

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPublished, StatusHeld, StatusSupport, StatusApproved, StatusRejected:
		return true
	}
	return false
}

// Valid reports whether d is one of the known decisions.
func (d Decision) Valid() bool { return d == Publish || d == Hold || d == Support }

// Status returns the status a waiting comment moves to under action a, or
// ErrInvalid for an unknown action.
func (a Action) Status() (Status, error) {
	switch a {
	case Approve:
		return StatusApproved, nil
	case Reject:
		return StatusRejected, nil
	}
	return "", fmt.Errorf("%w: unknown action %q (want approve or reject)", ErrInvalid, a)
}

// Normalize checks f and fills in its defaults: the statuses to list (both
// waiting ones when Status is empty) and a limit within MaxQueueLimit.
func (f QueueFilter) Normalize() (statuses []Status, limit int, err error) {
	switch {
	case f.Status == "":
		statuses = []Status{StatusHeld, StatusSupport}
	case f.Status.Waiting():
		statuses = []Status{f.Status}
	default:
		return nil, 0, fmt.Errorf("%w: queue status %q (want held or support)", ErrInvalid, f.Status)
	}
	switch {
	case f.Limit < 0:
		return nil, 0, errors.Join(ErrInvalid, errors.New("negative queue limit"))
	case f.Limit == 0:
		limit = DefaultQueueLimit
	case f.Limit > MaxQueueLimit:
		limit = MaxQueueLimit
	default:
		limit = f.Limit
	}
	return statuses, limit, nil
}
