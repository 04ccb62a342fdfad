package postgres

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/jackc/pgx/v5"
)

var (
	_ forewarn.PostStore    = (*DB)(nil)
	_ forewarn.WebhookStore = (*DB)(nil)
)

// UpdatePost replaces a stored post's text, line, topics and sensitivity.
func (db *DB) UpdatePost(ctx context.Context, p *forewarn.Post) error {
	if err := forewarn.CheckText(p.ID, p.Text, p.Line); err != nil {
		return fmt.Errorf("update post: %w", err)
	}
	if p.Topics == nil {
		p.Topics = []forewarn.Topic{}
	}
	tag, err := db.pool.Exec(ctx, `UPDATE posts SET text = $1, line = $2, topics = $3, sensitive = $4 WHERE id = $5`,
		p.Text, p.Line, p.Topics, p.Sensitive, p.ID)
	if err != nil {
		return fmt.Errorf("update post: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("update post %s: %w", p.ID, forewarn.ErrNotFound)
	}
	return nil
}

// DeletePost removes a post; its comments stay.
func (db *DB) DeletePost(ctx context.Context, id string) error {
	if forewarn.CheckText(id) != nil {
		return fmt.Errorf("delete post: %w", forewarn.ErrNotFound)
	}
	tag, err := db.pool.Exec(ctx, `DELETE FROM posts WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete post: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete post %s: %w", id, forewarn.ErrNotFound)
	}
	return nil
}

// PostComments returns a page of a post's comments, oldest first.
func (db *DB) PostComments(ctx context.Context, f forewarn.CommentFilter) ([]*forewarn.Comment, string, error) {
	limit, afterT, afterID, err := f.Check()
	if err != nil {
		return nil, "", fmt.Errorf("post comments: %w", err)
	}
	statuses := make([]string, len(f.Statuses))
	for i, s := range f.Statuses {
		statuses[i] = string(s)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+commentColumns+` FROM comments c
		WHERE c.post_id = $1 AND c.status = ANY($2) AND (c.created_at, c.id) > ($3, $4)
		ORDER BY c.created_at, c.id LIMIT $5`, f.PostID, statuses, afterT, afterID, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("post comments: %w", err)
	}
	defer rows.Close()
	out := []*forewarn.Comment{}
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, "", fmt.Errorf("post comments: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("post comments: %w", err)
	}
	out, next := forewarn.Page(out, limit)
	return out, next, nil
}

// outboxCTE holds, for a statement whose earlier CTE "src" returns a row
// when the change was made, the CTEs that write the event ($e1 id, $e2
// type, $e3 comment, $e4 body, $e5 time) and its deliveries to the
// webhooks that want it. A final statement must follow.
func outboxCTE(e1, e2, e3, e4, e5 string) string {
	return `hooks AS (SELECT w.id, w.url FROM webhooks w WHERE EXISTS (SELECT 1 FROM src)
			AND (w.events = '[]'::jsonb OR w.events ? ` + e2 + `::text)),
		ev AS (INSERT INTO webhook_events (id, type, comment_id, body, created_at)
			SELECT ` + e1 + `::text, ` + e2 + `::text, ` + e3 + `::text, ` + e4 + `::bytea, ` + e5 + `::timestamptz WHERE EXISTS (SELECT 1 FROM hooks) RETURNING id),
		dl AS (INSERT INTO webhook_deliveries (event_id, webhook_id, url, state, attempts, next_at, last_status, last_error, created_at, updated_at)
			SELECT ev.id, hooks.id, hooks.url, 'pending', 0, ` + e5 + `::timestamptz, 0, '', ` + e5 + `::timestamptz, ` + e5 + `::timestamptz FROM ev, hooks RETURNING 1)`
}

// eventArgs returns the body arguments of outboxCTE for ev.
func eventArgs(ev *forewarn.Event) ([]any, error) {
	body, err := ev.Body()
	if err != nil {
		return nil, err
	}
	return []any{ev.ID, string(ev.Type), ev.Data.Comment.ID, body, ev.CreatedAt}, nil
}

// enqueue writes ev and its deliveries inside tx.
func enqueue(ctx context.Context, tx pgx.Tx, ev *forewarn.Event) error {
	args, err := eventArgs(ev)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `WITH src AS (SELECT 1), `+outboxCTE("$1", "$2", "$3", "$4", "$5")+` SELECT 1`, args...); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// CreateWebhook stores w after filling in its ID, secret and time.
func (db *DB) CreateWebhook(ctx context.Context, w *forewarn.Webhook) error {
	if err := w.Prepare(rand.Reader, db.now()); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO webhooks (id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5)`,
		w.ID, w.URL, w.Secret, w.Events, w.CreatedAt)
	if isUnique(err) {
		return fmt.Errorf("create webhook %s: %w", w.ID, forewarn.ErrConflict)
	} else if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	return nil
}

// Webhooks lists the webhooks without their secrets.
func (db *DB) Webhooks(ctx context.Context) ([]*forewarn.Webhook, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, url, events, created_at FROM webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	defer rows.Close()
	out := []*forewarn.Webhook{}
	for rows.Next() {
		var w forewarn.Webhook
		if err := rows.Scan(&w.ID, &w.URL, &w.Events, &w.CreatedAt); err != nil {
			return nil, fmt.Errorf("webhooks: %w", err)
		}
		w.CreatedAt = w.CreatedAt.UTC()
		out = append(out, &w)
	}
	return out, rows.Err()
}

// DeleteWebhook removes a webhook and its pending deliveries; the log of
// finished ones stays.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	if forewarn.CheckText(id) != nil {
		return fmt.Errorf("delete webhook: %w", forewarn.ErrNotFound)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("webhook %s: %w", id, forewarn.ErrNotFound)
		}
		_, err = tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND state = 'pending'`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	return nil
}

// deliveryColumns lists what scanDelivery reads, in its order.
const deliveryColumns = `d.event_id, e.type, e.comment_id, d.webhook_id, d.url, d.state, d.attempts, d.last_status, d.last_error,
	d.next_at, d.created_at, d.updated_at`

func scanDelivery(row pgx.Row, extra ...any) (*forewarn.Delivery, error) {
	var d forewarn.Delivery
	dest := append([]any{&d.EventID, &d.EventType, &d.CommentID, &d.WebhookID, &d.URL, &d.State, &d.Attempts,
		&d.LastStatus, &d.LastError, &d.NextAt, &d.CreatedAt, &d.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	d.NextAt, d.CreatedAt, d.UpdatedAt = d.NextAt.UTC(), d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return &d, nil
}

// ClaimDeliveries reserves due pending deliveries for lease, skipping rows
// another sender is claiming at the same moment.
func (db *DB) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*forewarn.Outgoing, error) {
	if limit <= 0 || lease <= 0 {
		return nil, fmt.Errorf("claim deliveries: %w: limit and lease must be positive", forewarn.ErrInvalid)
	}
	now := db.stamp()
	rows, err := db.pool.Query(ctx, `WITH due AS (
			SELECT event_id, webhook_id FROM webhook_deliveries
			WHERE state = 'pending' AND next_at <= $1 ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED),
		claimed AS (UPDATE webhook_deliveries d SET next_at = $3 FROM due
			WHERE d.event_id = due.event_id AND d.webhook_id = due.webhook_id RETURNING d.*)
		SELECT `+deliveryColumns+`, e.body, w.secret
		FROM claimed d JOIN webhook_events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id
		ORDER BY e.seq`, now, limit, now.Add(lease))
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	defer rows.Close()
	var out []*forewarn.Outgoing
	for rows.Next() {
		o := &forewarn.Outgoing{}
		d, err := scanDelivery(rows, &o.Body, &o.Secret)
		if err != nil {
			return nil, fmt.Errorf("claim deliveries: %w", err)
		}
		o.Delivery = *d
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return out, nil
}

// FinishDelivery records the outcome of one attempt.
func (db *DB) FinishDelivery(ctx context.Context, eventID, webhookID string, r forewarn.DeliveryResult) error {
	state, next := forewarn.DeliveryPending, r.NextAt
	switch {
	case r.Delivered:
		state = forewarn.DeliveryDelivered
	case next.IsZero():
		state = forewarn.DeliveryFailed
	}
	now := db.stamp()
	if next.IsZero() {
		next = now
	}
	if forewarn.CheckText(r.Error) != nil {
		r.Error = "unprintable error"
	}
	tag, err := db.pool.Exec(ctx, `UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3,
		next_at = $4, updated_at = $5 WHERE event_id = $6 AND webhook_id = $7 AND state = 'pending'`,
		string(state), r.Status, r.Error, next, now, eventID, webhookID)
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("finish delivery %s to %s: %w", eventID, webhookID, forewarn.ErrNotFound)
	}
	return nil
}

// Deliveries reads the delivery log, newest first.
func (db *DB) Deliveries(ctx context.Context, f forewarn.DeliveryFilter) ([]*forewarn.Delivery, error) {
	limit, err := f.Check()
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+deliveryColumns+`
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
		WHERE ($1 = '' OR d.state = $1) AND ($2 = '' OR d.webhook_id = $2)
		ORDER BY d.updated_at DESC, e.seq DESC LIMIT $3`, string(f.State), f.WebhookID, limit)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer rows.Close()
	out := []*forewarn.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return out, nil
}
