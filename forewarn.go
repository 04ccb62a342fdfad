// Package forewarn holds the domain of forewarn: the types shared by the
// text pipeline, the comment and topic models, the moderation policy and the
// storage and HTTP adapters, and the errors they return.
//
// Algorithms live in small sub-packages (textseg, features, linear, comment,
// warn, moderate); adapters are named after what they wrap (sqlite,
// postgres, http, nats). This package imports only the standard library.
package forewarn

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Adapters wrap them so that callers can test with
// errors.Is, and the HTTP layer maps each one to a status code in one place.
var (
	ErrInvalid      = errors.New("invalid input")
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrTooLarge     = errors.New("too large")
	ErrRateLimited  = errors.New("rate limited")
	ErrBadModel     = errors.New("bad model file")
	// ErrUnavailable means the service cannot take the request for now
	// (a full or unreachable queue); the same request may be retried.
	ErrUnavailable = errors.New("unavailable")
)

// Span is a half-open byte range [Start, End) into the original text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Evidence is a span of the original text that carried a label's score.
type Evidence struct {
	Label string `json:"label,omitempty"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Result is what the comment classifier says about one text.
type Result struct {
	// Scores holds a calibrated probability per label.
	Scores map[string]float64 `json:"scores"`
	// Flagged lists the labels whose score reached the label's threshold,
	// in the model's label order.
	Flagged []string `json:"flagged"`
	// Evidence holds, per flagged label, the phrases that carried it: the
	// first MaxEvidence of them.
	Evidence []Evidence `json:"evidence"`
}

// Classifier scores comment text. Implementations are safe for concurrent use.
type Classifier interface {
	Classify(text string) Result
	Labels() []string
}

// Prominence says how much room a text gives a topic.
type Prominence int

// Prominence levels, weakest first so that they compare with < and >.
const (
	ProminenceNone Prominence = iota
	Mention
	Discussion
	Detailed
)

var prominenceNames = [...]string{"none", "mention", "discussion", "detailed"}

// String returns the lowercase name used in JSON and configuration.
func (p Prominence) String() string {
	if p < 0 || int(p) >= len(prominenceNames) {
		return "none"
	}
	return prominenceNames[p]
}

// ParseProminence parses a name produced by String.
func ParseProminence(s string) (Prominence, error) {
	for i, n := range prominenceNames {
		if n == s {
			return Prominence(i), nil
		}
	}
	return ProminenceNone, errors.Join(ErrInvalid, errors.New("unknown prominence "+s))
}

// MarshalText implements encoding.TextMarshaler.
func (p Prominence) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Prominence) UnmarshalText(b []byte) error {
	v, err := ParseProminence(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// TopicEvidence is one place a topic was found: the span of the words and
// the sentence around them.
type TopicEvidence struct {
	Start         int `json:"start"`
	End           int `json:"end"`
	SentenceStart int `json:"sentence_start"`
	SentenceEnd   int `json:"sentence_end"`
}

// Topic is a sensitive topic found in a text.
type Topic struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Score      float64         `json:"score"`
	Prominence Prominence      `json:"prominence"`
	Evidence   []TopicEvidence `json:"evidence"`
	// Paragraph is the zero-based index of the paragraph where the topic
	// first appears, so that a reader can skip ahead.
	Paragraph int `json:"paragraph"`
}

// Warning is the reader-facing result of content-warning detection.
type Warning struct {
	Line   string  `json:"line"`
	Topics []Topic `json:"topics"`
}

// Decision is what happens to a comment.
type Decision string

// Decisions for a comment.
const (
	Publish Decision = "publish"
	Hold    Decision = "hold"
	Support Decision = "support"
)

// Status is where a comment stands in the review queue.
type Status string

// Comment statuses. Held and support comments wait in the queue; a
// moderator moves them to approved or rejected, and closes a support case
// as resolved (the comment stays private).
const (
	StatusPublished Status = "published"
	StatusHeld      Status = "held"
	StatusSupport   Status = "support"
	StatusApproved  Status = "approved"
	StatusRejected  Status = "rejected"
	StatusResolved  Status = "resolved"
)

// StatusFor returns the initial queue status for a decision.
func StatusFor(d Decision) Status {
	switch d {
	case Hold:
		return StatusHeld
	case Support:
		return StatusSupport
	default:
		return StatusPublished
	}
}

// Verdict is a moderation decision with the reasons behind it.
type Verdict struct {
	Decision Decision           `json:"decision"`
	Scores   map[string]float64 `json:"scores"`
	Reasons  []string           `json:"reasons"`
	Evidence []Evidence         `json:"evidence"`
	// Support is the support text shown to a commenter who seems at risk;
	// set only when Decision is Support.
	Support string `json:"support,omitempty"`
}

// SupportInfo is what a site tells a commenter who may be at risk.
type SupportInfo struct {
	// Text is the support text shown with a support decision.
	Text string `json:"text"`
	// Number is the crisis line the text names.
	Number string `json:"number"`
	// FollowUp says whether the site has promised that a person will
	// check in, which the text then says.
	FollowUp bool `json:"follow_up"`
}

// Nudge is advice for a commenter before they post.
type Nudge struct {
	Nudge    bool       `json:"nudge"`
	Message  string     `json:"message"`
	Evidence []Evidence `json:"evidence"`
	// Support is set when the draft suggests the commenter is at risk.
	Support string `json:"support,omitempty"`
}

// Detector finds sensitive topics in a text and writes the warning line.
// The warn package implements it. Implementations are safe for concurrent use.
type Detector interface {
	// Warn returns the warning line in the named house style (empty means
	// the default style) and the topics that earn a warning. An unknown
	// style is ErrInvalid.
	Warn(text, style string) (Warning, error)
}

// Moderator decides comments in the context of the post they answer. The
// moderate package implements it. Implementations are safe for concurrent use.
type Moderator interface {
	// Decide returns the decision for a comment on post (nil when the post
	// is unknown: the comment is judged without context).
	Decide(post *Post, text string) Verdict
	// Nudge tells a commenter, before they post, whether the draft may hurt.
	Nudge(post *Post, text string) Nudge
	// Sensitive reports whether topics make a post sensitive under the
	// moderator's policy: on such a post, hostility aimed at the poster is
	// held even when it carries no swear word.
	Sensitive(topics []Topic) bool
}

// ContextModerator is a Moderator that stops scoring once ctx is done, so
// that the work of a request whose client has gone or whose deadline has
// passed stops early instead of running to the end. It is optional: a
// caller tests a Moderator for it and falls back to Decide and Nudge.
type ContextModerator interface {
	Moderator
	// DecideContext is Decide, or ctx.Err() once ctx is done.
	DecideContext(ctx context.Context, post *Post, text string) (Verdict, error)
	// NudgeContext is Nudge, or ctx.Err() once ctx is done.
	NudgeContext(ctx context.Context, post *Post, text string) (Nudge, error)
}

// ContextDetector is a Detector that stops scoring once ctx is done. It
// is optional, as ContextModerator is.
type ContextDetector interface {
	Detector
	// WarnContext is Warn, or an error wrapping ctx.Err() once ctx is
	// done.
	WarnContext(ctx context.Context, text, style string) (Warning, error)
}

// Post is a piece of content that comments answer.
type Post struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	Line      string    `json:"line"`
	Topics    []Topic   `json:"topics"`
	Sensitive bool      `json:"sensitive"`
	CreatedAt time.Time `json:"created_at"`
}

// Comment is a comment on a post together with its decision and queue state.
type Comment struct {
	ID        string             `json:"id"`
	PostID    string             `json:"post"`
	Author    string             `json:"author"`
	Text      string             `json:"text"`
	Decision  Decision           `json:"decision"`
	Status    Status             `json:"status"`
	Scores    map[string]float64 `json:"scores"`
	Reasons   []string           `json:"reasons"`
	Evidence  []Evidence         `json:"evidence"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Role is what an API key may do.
type Role string

// Roles, from least to most powerful. An admin may do anything a moderator
// or publisher may.
const (
	RolePublisher Role = "publisher"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RolePublisher, RoleModerator, RoleAdmin:
		return r, nil
	}
	return "", errors.Join(ErrInvalid, errors.New("unknown role "+s+" (want publisher, moderator or admin)"))
}

// Allows reports whether a key with role r may act as role need.
func (r Role) Allows(need Role) bool {
	if r == RoleAdmin {
		return true
	}
	return r == need
}

// Key is an API key's stored record. Only a hash of the secret is stored.
type Key struct {
	ID        string    `json:"id"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// RevokedAt is when the key was revoked; nil while it works.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Action is a moderator's decision on a queued comment.
type Action string

// Moderator actions. Approve and reject decide any waiting comment. The
// support actions apply to a support comment only and record, in the audit
// log, what the site's team did for a commenter who may be at risk:
// ReachedOut and Escalated keep the case open in the queue, Resolved
// closes it.
const (
	Approve    Action = "approve"
	Reject     Action = "reject"
	ReachedOut Action = "reached-out"
	Escalated  Action = "escalated"
	Resolved   Action = "resolved"
)

// AuditEntry records who decided what about a comment, when and why.
type AuditEntry struct {
	CommentID string    `json:"comment"`
	Actor     string    `json:"actor"`
	Action    Action    `json:"action"`
	Note      string    `json:"note"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	At        time.Time `json:"at"`
}

// IdempotencyKey names a comment request that a client may retry: the ID
// of the API key that sent it and the client's Idempotency-Key. Scoping by
// the API key means two publishers can neither collide nor read each other's
// comments by guessing keys. The zero value means no key.
type IdempotencyKey struct {
	KeyID string
	Key   string
}

// IsZero reports whether k names no request.
func (k IdempotencyKey) IsZero() bool { return k.Key == "" }

// QueueFilter selects queued comments.
type QueueFilter struct {
	Status Status // StatusHeld or StatusSupport; empty means both
	PostID string // empty means any post
	Limit  int
}

// Store keeps posts, comments, the review queue, the audit log and API keys.
// The sqlite and postgres packages implement it.
type Store interface {
	// CreatePost stores p; an existing ID is ErrConflict.
	CreatePost(ctx context.Context, p *Post) error
	// Post returns a post or ErrNotFound.
	Post(ctx context.Context, id string) (*Post, error)
	// CreateComment stores c. When idem is not zero and a comment was
	// already stored under it, that comment is returned with existed true and
	// nothing new is stored.
	CreateComment(ctx context.Context, c *Comment, idem IdempotencyKey) (stored *Comment, existed bool, err error)
	// Comment returns a comment or ErrNotFound.
	Comment(ctx context.Context, id string) (*Comment, error)
	// Queue lists waiting comments, oldest first.
	Queue(ctx context.Context, f QueueFilter) ([]*Comment, error)
	// Decide applies a moderator action to a waiting comment and writes the
	// audit entry in the same transaction. A comment that no longer waits is
	// ErrConflict.
	Decide(ctx context.Context, commentID string, e AuditEntry) (*Comment, error)
	// Claim reserves up to f.Limit waiting comments for actor until the
	// given time, skipping comments that another moderator holds, so that
	// several instances can share one queue.
	Claim(ctx context.Context, f QueueFilter, actor string, until time.Time) ([]*Comment, error)
	// Audit returns a comment's audit entries, oldest first.
	Audit(ctx context.Context, commentID string) ([]AuditEntry, error)
	// QueueDepth counts waiting comments by status.
	QueueDepth(ctx context.Context) (map[Status]int, error)
	// CreateKey stores a key under the hash of its secret.
	CreateKey(ctx context.Context, k *Key, hash []byte) error
	// KeyByHash returns the key stored under hash or ErrNotFound; a
	// revoked key is ErrNotFound.
	KeyByHash(ctx context.Context, hash []byte) (*Key, error)
	// Keys lists every key, revoked ones too, oldest first.
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey revokes the key with the given ID for good; an unknown ID
	// is ErrNotFound, and revoking a revoked key changes nothing.
	RevokeKey(ctx context.Context, id string) error
	// Ready returns nil when the store can take writes now.
	Ready(ctx context.Context) error
	// Close releases the store.
	Close() error
}
