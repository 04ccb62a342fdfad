package forewarn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// EventType names what happened to a comment, for webhooks.
type EventType string

// Event types. A new comment gives published, held or support as it is
// decided; every moderator action (approve, reject and the support
// actions) gives decided.
const (
	EventPublished EventType = "comment.published"
	EventHeld      EventType = "comment.held"
	EventSupport   EventType = "comment.support"
	EventDecided   EventType = "comment.decided"
)

// EventTypes lists every event type.
var EventTypes = []EventType{EventPublished, EventHeld, EventSupport, EventDecided}

// ParseEventType validates an event type name.
func ParseEventType(s string) (EventType, error) {
	for _, t := range EventTypes {
		if string(t) == s {
			return t, nil
		}
	}
	names := make([]string, len(EventTypes))
	for i, t := range EventTypes {
		names[i] = string(t)
	}
	return "", fmt.Errorf("%w: unknown event %q (want %s)", ErrInvalid, s, strings.Join(names, ", "))
}

// ParseEventTypes validates a list of event type names. It returns an
// empty list, not nil, for none: a webhook that wants every event.
func ParseEventTypes(names []string) ([]EventType, error) {
	ts := make([]EventType, 0, len(names))
	for _, s := range names {
		t, err := ParseEventType(s)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// Webhook is a site's address that receives signed events.
type Webhook struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Events are the event types sent; empty means all.
	Events []EventType `json:"events"`
	// Secret signs every delivery. It is shown once, when the webhook is
	// created.
	Secret    string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookSecretPrefix starts every webhook signing secret.
const WebhookSecretPrefix = "whsec_"

// Wants reports whether the webhook subscribes to events of type t.
func (w *Webhook) Wants(t EventType) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, e := range w.Events {
		if e == t {
			return true
		}
	}
	return false
}

// Prepare validates a webhook that is about to be stored and fills in what
// the caller left empty: an ID, a signing secret (both read from r) and
// the creation time.
func (w *Webhook) Prepare(r io.Reader, now time.Time) error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: webhook URL %q must be an absolute http or https URL", ErrInvalid, w.URL)
	}
	if err := CheckText(w.URL); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	for _, t := range w.Events {
		if _, err := ParseEventType(string(t)); err != nil {
			return err
		}
	}
	if w.Events == nil {
		w.Events = []EventType{}
	}
	if w.ID == "" {
		if w.ID, err = NewID(r, "wh_"); err != nil {
			return err
		}
	}
	if w.Secret == "" {
		s, err := randomString(r, 20)
		if err != nil {
			return fmt.Errorf("webhook secret: %w", err)
		}
		w.Secret = WebhookSecretPrefix + s
	}
	w.CreatedAt = StoredTime(w.CreatedAt, now)
	return nil
}

// Event is one thing that happened to a comment, as a webhook receives it.
// ID is unique per event: a receiver that sees an ID twice got a retry and
// should act once.
type Event struct {
	ID        string    `json:"id"`
	Type      EventType `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Data      EventData `json:"data"`
}

// EventData is what an event is about: the comment as it now stands and,
// for comment.decided, the moderator's action.
type EventData struct {
	Comment *Comment    `json:"comment"`
	Action  *AuditEntry `json:"action,omitempty"`
}

// NewCommentEvent returns the event for a comment just stored: published,
// held or support after its decision.
func NewCommentEvent(r io.Reader, c *Comment, at time.Time) (*Event, error) {
	t := EventPublished
	switch c.Status {
	case StatusHeld:
		t = EventHeld
	case StatusSupport:
		t = EventSupport
	}
	return newEvent(r, t, c, nil, at)
}

// NewDecisionEvent returns the comment.decided event for a moderator's
// action on c.
func NewDecisionEvent(r io.Reader, c *Comment, e AuditEntry, at time.Time) (*Event, error) {
	return newEvent(r, EventDecided, c, &e, at)
}

func newEvent(r io.Reader, t EventType, c *Comment, e *AuditEntry, at time.Time) (*Event, error) {
	id, err := NewID(r, "ev_")
	if err != nil {
		return nil, err
	}
	cc := *c
	return &Event{ID: id, Type: t, CreatedAt: StoredTime(at, at), Data: EventData{Comment: cc.Shown(), Action: e}}, nil
}

// Body returns the JSON that is delivered, and signed, for the event.
func (e *Event) Body() ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", e.ID, err)
	}
	return b, nil
}

// DeliveryState is where the delivery of one event to one webhook stands.
type DeliveryState string

// Delivery states: pending until the receiver answers 2xx (delivered) or
// the retries run out (failed).
const (
	DeliveryPending   DeliveryState = "pending"
	DeliveryDelivered DeliveryState = "delivered"
	DeliveryFailed    DeliveryState = "failed"
)

// Delivery is the delivery of one event to one webhook: a line of the
// delivery log.
type Delivery struct {
	EventID   string        `json:"event"`
	EventType EventType     `json:"type"`
	CommentID string        `json:"comment"`
	WebhookID string        `json:"webhook"`
	URL       string        `json:"url"`
	State     DeliveryState `json:"state"`
	Attempts  int           `json:"attempts"`
	// LastStatus is the HTTP status of the last attempt (0: no answer).
	LastStatus int    `json:"last_status"`
	LastError  string `json:"last_error"`
	// NextAt is when a pending delivery is tried next.
	NextAt    time.Time `json:"next_at"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Outgoing is a claimed delivery with what it takes to send it.
type Outgoing struct {
	Delivery
	Body   []byte
	Secret string
}

// DeliveryResult is the outcome of one attempt.
type DeliveryResult struct {
	Status int    // the receiver's HTTP status, 0 without an answer
	Error  string // why the attempt failed, empty on success
	// Delivered is true on a 2xx answer. Otherwise NextAt is when to try
	// again, and a zero NextAt gives up (state failed).
	Delivered bool
	NextAt    time.Time
}

// DeliveryFilter selects lines of the delivery log, newest first.
type DeliveryFilter struct {
	State     DeliveryState // empty: any
	WebhookID string        // empty: any
	Limit     int           // 0: DefaultQueueLimit; at most MaxQueueLimit
}

// Check validates f and returns its limit.
func (f DeliveryFilter) Check() (int, error) {
	switch f.State {
	case "", DeliveryPending, DeliveryDelivered, DeliveryFailed:
	default:
		return 0, fmt.Errorf("%w: delivery state %q (want pending, delivered or failed)", ErrInvalid, f.State)
	}
	switch {
	case f.Limit < 0:
		return 0, errors.Join(ErrInvalid, errors.New("negative limit"))
	case f.Limit == 0:
		return DefaultQueueLimit, nil
	}
	return min(f.Limit, MaxQueueLimit), nil
}

// WebhookStore keeps webhooks and the durable outbox of their deliveries.
// Stores that implement it also write an event, in the same transaction,
// for every comment they store (CreateComment) and every moderator action
// (Decide), so that no decision is lost between the store and the sender.
type WebhookStore interface {
	// CreateWebhook stores w after Prepare.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// Webhooks lists the webhooks, oldest first, without their secrets.
	Webhooks(ctx context.Context) ([]*Webhook, error)
	// DeleteWebhook removes a webhook and its pending deliveries, or
	// returns ErrNotFound.
	DeleteWebhook(ctx context.Context, id string) error
	// ClaimDeliveries reserves up to limit pending deliveries that are due,
	// oldest first, for lease, so that several senders never send the same
	// delivery at once; a sender that dies leaves them due again when the
	// lease ends.
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*Outgoing, error)
	// FinishDelivery records the outcome of an attempt.
	FinishDelivery(ctx context.Context, eventID, webhookID string, r DeliveryResult) error
	// Deliveries reads the delivery log, newest first.
	Deliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, error)
}

// CommentFilter selects one page of a post's comments, oldest first.
type CommentFilter struct {
	PostID   string
	Statuses []Status // at least one
	// After is the cursor of the previous page (empty: the first page).
	After string
	Limit int // 0: DefaultQueueLimit; at most MaxQueueLimit
}

// Check validates f and returns its limit and the position after which
// the page starts (zero for the first page).
func (f CommentFilter) Check() (limit int, afterTime time.Time, afterID string, err error) {
	if len(f.Statuses) == 0 {
		return 0, time.Time{}, "", errors.Join(ErrInvalid, errors.New("no status to list"))
	}
	for _, s := range f.Statuses {
		if !s.Valid() {
			return 0, time.Time{}, "", fmt.Errorf("%w: unknown status %q", ErrInvalid, s)
		}
	}
	if err := CheckText(f.PostID); err != nil {
		return 0, time.Time{}, "", err
	}
	switch {
	case f.Limit < 0:
		return 0, time.Time{}, "", errors.Join(ErrInvalid, errors.New("negative limit"))
	case f.Limit == 0:
		limit = DefaultQueueLimit
	default:
		limit = min(f.Limit, MaxQueueLimit)
	}
	if f.After != "" {
		if afterTime, afterID, err = DecodeCursor(f.After); err != nil {
			return 0, time.Time{}, "", err
		}
	}
	return limit, afterTime, afterID, nil
}

// Page cuts a listing read with limit+1 rows to limit and returns the
// cursor of the next page, empty when there is none.
func Page(cs []*Comment, limit int) ([]*Comment, string) {
	if len(cs) <= limit {
		return cs, ""
	}
	cs = cs[:limit]
	last := cs[limit-1]
	return cs, EncodeCursor(last.CreatedAt, last.ID)
}

// EncodeCursor returns the opaque cursor that points after the comment
// created at t with the given id.
func EncodeCursor(t time.Time, id string) string {
	return idEncoding.EncodeToString([]byte(fmt.Sprintf("%d.%s", t.UnixMicro(), id)))
}

// DecodeCursor reads a cursor made by EncodeCursor.
func DecodeCursor(s string) (time.Time, string, error) {
	b, err := idEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", errors.Join(ErrInvalid, errors.New("bad cursor"))
	}
	var us int64
	micros, id, ok := strings.Cut(string(b), ".")
	if !ok || id == "" || CheckText(id) != nil {
		return time.Time{}, "", errors.Join(ErrInvalid, errors.New("bad cursor"))
	}
	if _, err := fmt.Sscan(micros, &us); err != nil {
		return time.Time{}, "", errors.Join(ErrInvalid, errors.New("bad cursor"))
	}
	return time.UnixMicro(us).UTC(), id, nil
}

// PostStore changes posts and lists a post's comments. The sqlite and
// postgres stores implement it beside Store.
type PostStore interface {
	// UpdatePost replaces the text, line, topics and sensitivity of a
	// stored post, or returns ErrNotFound.
	UpdatePost(ctx context.Context, p *Post) error
	// DeletePost removes a post, or returns ErrNotFound. Its comments and
	// their audit trail stay for the record.
	DeletePost(ctx context.Context, id string) error
	// PostComments returns a page of a post's comments with one of the
	// statuses, oldest first, and the cursor of the next page (empty on
	// the last page).
	PostComments(ctx context.Context, f CommentFilter) (page []*Comment, next string, err error)
}
