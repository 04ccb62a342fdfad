package forewarn

import (
	"errors"
	"fmt"
	"io"
	"time"
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

// StoredTime returns t as stores keep it: in UTC at microsecond precision
// (what PostgreSQL keeps), or now when t is zero.
func StoredTime(t, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Prepare validates a comment that is about to be stored and returns a copy
// with what the caller left empty filled in: a random ID read from r, the
// status its decision implies, the times (now), and empty rather than nil
// collections so that every stored comment reads back the same.
func (c *Comment) Prepare(r io.Reader, now time.Time) (*Comment, error) {
	switch {
	case c.PostID == "":
		return nil, errors.Join(ErrInvalid, errors.New("comment has no post"))
	case !c.Decision.Valid():
		return nil, fmt.Errorf("%w: unknown decision %q", ErrInvalid, c.Decision)
	case c.Status != "" && !c.Status.Valid():
		return nil, fmt.Errorf("%w: unknown status %q", ErrInvalid, c.Status)
	}
	out := *c
	if out.ID == "" {
		id, err := NewID(r, "c_")
		if err != nil {
			return nil, err
		}
		out.ID = id
	}
	if out.Status == "" {
		out.Status = StatusFor(out.Decision)
	}
	out.CreatedAt = StoredTime(out.CreatedAt, now)
	out.UpdatedAt = StoredTime(out.UpdatedAt, out.CreatedAt)
	if out.Scores == nil {
		out.Scores = map[string]float64{}
	}
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	if out.Evidence == nil {
		out.Evidence = []Evidence{}
	}
	return &out, nil
}

// Prepare fills in what the caller left empty on a post that is about to be
// stored: a random ID read from r, the creation time (now) and empty rather
// than nil topics.
func (p *Post) Prepare(r io.Reader, now time.Time) error {
	if p.ID == "" {
		id, err := NewID(r, "p_")
		if err != nil {
			return err
		}
		p.ID = id
	}
	p.CreatedAt = StoredTime(p.CreatedAt, now)
	if p.Topics == nil {
		p.Topics = []Topic{}
	}
	return nil
}

// Prepare validates a key that is about to be stored under hash and fills in
// what the caller left empty: a random ID read from r and the creation time.
func (k *Key) Prepare(r io.Reader, now time.Time, hash []byte) error {
	if _, err := ParseRole(string(k.Role)); err != nil {
		return err
	}
	if len(hash) == 0 {
		return errors.Join(ErrInvalid, errors.New("empty key hash"))
	}
	if k.ID == "" {
		id, err := NewID(r, "k_")
		if err != nil {
			return err
		}
		k.ID = id
	}
	k.CreatedAt = StoredTime(k.CreatedAt, now)
	return nil
}

// Check validates a moderator's decision and returns the status it moves a
// waiting comment to.
func (e AuditEntry) Check() (Status, error) {
	to, err := e.Action.Status()
	if err != nil {
		return "", err
	}
	if e.Actor == "" {
		return "", errors.Join(ErrInvalid, errors.New("decision has no actor"))
	}
	return to, nil
}
