package forewarn

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
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
	case StatusPublished, StatusHeld, StatusSupport, StatusApproved, StatusRejected, StatusResolved:
		return true
	}
	return false
}

// Actions lists every moderator action, in the order help texts name them.
var Actions = []Action{Approve, Reject, ReachedOut, Escalated, Resolved}

// Support reports whether a is one of the support actions, which apply to
// support comments only.
func (a Action) Support() bool { return a == ReachedOut || a == Escalated || a == Resolved }

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
	case ReachedOut, Escalated:
		return StatusSupport, nil
	case Resolved:
		return StatusResolved, nil
	}
	return "", fmt.Errorf("%w: unknown action %q (want %s)", ErrInvalid, a, actionList())
}

// Next returns the status a comment with status from moves to under action
// a: ErrConflict when the comment no longer waits, or when a support action
// meets a comment that is not a support case.
func (a Action) Next(from Status) (Status, error) {
	to, err := a.Status()
	if err != nil {
		return "", err
	}
	if !from.Waiting() {
		return "", fmt.Errorf("%w: comment is %s", ErrConflict, from)
	}
	if a.Support() && from != StatusSupport {
		return "", fmt.Errorf("%w: %s applies to support comments, and this one is %s", ErrConflict, a, from)
	}
	return to, nil
}

func actionList() string {
	names := make([]string, len(Actions))
	for i, a := range Actions {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
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
	if err := CheckText(f.PostID); err != nil {
		return nil, 0, fmt.Errorf("queue post: %w", err)
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

// CheckText refuses text that not every store can keep: invalid UTF-8,
// which JSON columns would silently replace, and NUL bytes, which
// PostgreSQL refuses in text.
func CheckText(texts ...string) error {
	for _, t := range texts {
		if !utf8.ValidString(t) {
			return errors.Join(ErrInvalid, errors.New("text is not valid UTF-8"))
		}
		if strings.IndexByte(t, 0) >= 0 {
			return errors.Join(ErrInvalid, errors.New("text contains a NUL character"))
		}
	}
	return nil
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
	if err := CheckText(append([]string{c.ID, c.PostID, c.Author, c.Text}, c.Reasons...)...); err != nil {
		return nil, fmt.Errorf("comment: %w", err)
	}
	for _, e := range c.Evidence {
		if err := CheckText(e.Label); err != nil {
			return nil, fmt.Errorf("comment evidence: %w", err)
		}
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
	if err := CheckText(p.ID, p.Text, p.Line); err != nil {
		return fmt.Errorf("post: %w", err)
	}
	for _, t := range p.Topics {
		if err := CheckText(t.ID, t.Name); err != nil {
			return fmt.Errorf("post topic: %w", err)
		}
	}
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

// CheckActor validates the name of a moderator who decides or claims
// comments: it must be set, because the audit log records it.
func CheckActor(actor string) error {
	if actor == "" {
		return errors.Join(ErrInvalid, errors.New("no actor"))
	}
	if err := CheckText(actor); err != nil {
		return fmt.Errorf("actor: %w", err)
	}
	return nil
}

// Check validates a moderator's decision and returns the status it moves a
// waiting comment to.
func (e AuditEntry) Check() (Status, error) {
	to, err := e.Action.Status()
	if err != nil {
		return "", err
	}
	if err := CheckActor(e.Actor); err != nil {
		return "", err
	}
	if err := CheckText(e.Note); err != nil {
		return "", fmt.Errorf("decision note: %w", err)
	}
	return to, nil
}

// Check refuses an idempotency key that not every store can keep, or whose
// API key ID is set without a key.
func (k IdempotencyKey) Check() error {
	if k.Key == "" && k.KeyID != "" {
		return errors.Join(ErrInvalid, errors.New("idempotency key has an API key ID but no key"))
	}
	if err := CheckText(k.KeyID, k.Key); err != nil {
		return fmt.Errorf("idempotency key: %w", err)
	}
	return nil
}
