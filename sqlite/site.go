package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/forewarn/forewarn"
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
	topics, err := json.Marshal(p.Topics)
	if err != nil {
		return fmt.Errorf("update post: %w", err)
	}
	err = db.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE posts SET text = ?, line = ?, topics = ?, sensitive = ? WHERE id = ?`,
			p.Text, p.Line, topics, p.Sensitive, p.ID)
		if err != nil {
			return err
		}
		return oneRow(res, "post "+p.ID)
	})
	if err != nil {
		return fmt.Errorf("update post: %w", err)
	}
	return nil
}

// DeletePost removes a post; its comments stay.
func (db *DB) DeletePost(ctx context.Context, id string) error {
	err := db.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM posts WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return oneRow(res, "post "+id)
	})
	if err != nil {
		return fmt.Errorf("delete post: %w", err)
	}
	return nil
}

// oneRow returns ErrNotFound when res touched no row.
func oneRow(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, forewarn.ErrNotFound)
	}
	return nil
}

// PostComments returns a page of a post's comments, oldest first.
func (db *DB) PostComments(ctx context.Context, f forewarn.CommentFilter) ([]*forewarn.Comment, string, error) {
	limit, afterT, afterID, err := f.Check()
	if err != nil {
		return nil, "", fmt.Errorf("post comments: %w", err)
	}
	args := []any{f.PostID}
	marks := make([]string, len(f.Statuses))
	for i, s := range f.Statuses {
		marks[i] = "?"
		args = append(args, string(s))
	}
	args = append(args, micro(afterT), micro(afterT), afterID, limit+1)
	rows, err := db.read.QueryContext(ctx, `SELECT `+commentColumns+` FROM comments
		WHERE post_id = ? AND status IN (`+strings.Join(marks, ",")+`)
		AND (created_at > ? OR created_at = ? AND id > ?)
		ORDER BY created_at, id LIMIT ?`, args...)
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

// enqueue writes ev and one pending delivery per webhook that wants it,
// inside the transaction that stored what ev reports. Without such a
// webhook it writes nothing.
func enqueue(tx *sql.Tx, ev *forewarn.Event) error {
	rows, err := tx.Query(`SELECT id, url, events FROM webhooks`)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	type target struct{ id, url string }
	var targets []target
	for rows.Next() {
		var (
			w      forewarn.Webhook
			events []byte
		)
		if err := rows.Scan(&w.ID, &w.URL, &events); err != nil {
			rows.Close()
			return fmt.Errorf("outbox: %w", err)
		}
		if err := json.Unmarshal(events, &w.Events); err != nil {
			rows.Close()
			return fmt.Errorf("outbox: webhook %s events: %w", w.ID, err)
		}
		if w.Wants(ev.Type) {
			targets = append(targets, target{w.ID, w.URL})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if len(targets) == 0 {
		return nil
	}
	body, err := ev.Body()
	if err != nil {
		return err
	}
	at := micro(ev.CreatedAt)
	if _, err := tx.Exec(`INSERT INTO webhook_events (id, type, comment_id, body, created_at) VALUES (?, ?, ?, ?, ?)`,
		ev.ID, ev.Type, ev.Data.Comment.ID, body, at); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	for _, t := range targets {
		if _, err := tx.Exec(`INSERT INTO webhook_deliveries (event_id, webhook_id, url, state, attempts, next_at, last_status, last_error, created_at, updated_at)
			VALUES (?, ?, ?, 'pending', 0, ?, 0, '', ?, ?)`, ev.ID, t.id, t.url, at, at, at); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}

// CreateWebhook stores w after filling in its ID, secret and time.
func (db *DB) CreateWebhook(ctx context.Context, w *forewarn.Webhook) error {
	if err := w.Prepare(rand.Reader, db.now()); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	events, err := json.Marshal(w.Events)
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	err = db.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO webhooks (id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)`,
			w.ID, w.URL, w.Secret, events, micro(w.CreatedAt))
		return err
	})
	if isConstraint(err) {
		return fmt.Errorf("create webhook %s: %w", w.ID, forewarn.ErrConflict)
	} else if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	return nil
}

// Webhooks lists the webhooks without their secrets.
func (db *DB) Webhooks(ctx context.Context) ([]*forewarn.Webhook, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, url, events, created_at FROM webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	defer rows.Close()
	out := []*forewarn.Webhook{}
	for rows.Next() {
		var (
			w      forewarn.Webhook
			events []byte
			at     int64
		)
		if err := rows.Scan(&w.ID, &w.URL, &events, &at); err != nil {
			return nil, fmt.Errorf("webhooks: %w", err)
		}
		if err := json.Unmarshal(events, &w.Events); err != nil {
			return nil, fmt.Errorf("webhook %s events: %w", w.ID, err)
		}
		w.CreatedAt = fromMicro(at)
		out = append(out, &w)
	}
	return out, rows.Err()
}

// DeleteWebhook removes a webhook and its pending deliveries; the log of
// finished ones stays.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	err := db.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM webhooks WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if err := oneRow(res, "webhook "+id); err != nil {
			return err
		}
		_, err = tx.Exec(`DELETE FROM webhook_deliveries WHERE webhook_id = ? AND state = 'pending'`, id)
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

func scanDelivery(row scanner, extra ...any) (*forewarn.Delivery, error) {
	var (
		d                 forewarn.Delivery
		next, created, up int64
	)
	dest := append([]any{&d.EventID, &d.EventType, &d.CommentID, &d.WebhookID, &d.URL, &d.State, &d.Attempts,
		&d.LastStatus, &d.LastError, &next, &created, &up}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	d.NextAt, d.CreatedAt, d.UpdatedAt = fromMicro(next), fromMicro(created), fromMicro(up)
	return &d, nil
}

// ClaimDeliveries reserves due pending deliveries for lease. The single
// writer makes the select and the update one atomic step.
func (db *DB) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*forewarn.Outgoing, error) {
	if limit <= 0 || lease <= 0 {
		return nil, fmt.Errorf("claim deliveries: %w: limit and lease must be positive", forewarn.ErrInvalid)
	}
	var out []*forewarn.Outgoing
	err := db.update(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		now := db.stamp()
		rows, err := tx.Query(`SELECT `+deliveryColumns+`, e.body, w.secret
			FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.state = 'pending' AND d.next_at <= ? ORDER BY d.next_at, e.seq LIMIT ?`, micro(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			o := &forewarn.Outgoing{}
			d, err := scanDelivery(rows, &o.Body, &o.Secret)
			if err != nil {
				rows.Close()
				return err
			}
			o.Delivery = *d
			out = append(out, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		until := micro(now.Add(lease))
		for _, o := range out {
			if _, err := tx.Exec(`UPDATE webhook_deliveries SET next_at = ? WHERE event_id = ? AND webhook_id = ?`,
				until, o.EventID, o.WebhookID); err != nil {
				return err
			}
			o.NextAt = fromMicro(until)
		}
		return nil
	})
	if err != nil {
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
	err := db.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
			next_at = ?, updated_at = ? WHERE event_id = ? AND webhook_id = ? AND state = 'pending'`,
			state, r.Status, r.Error, micro(next), micro(now), eventID, webhookID)
		if err != nil {
			return err
		}
		return oneRow(res, "pending delivery "+eventID+" to "+webhookID)
	})
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	return nil
}

// Deliveries reads the delivery log, newest first.
func (db *DB) Deliveries(ctx context.Context, f forewarn.DeliveryFilter) ([]*forewarn.Delivery, error) {
	limit, err := f.Check()
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+deliveryColumns+`
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
		WHERE (? = '' OR d.state = ?) AND (? = '' OR d.webhook_id = ?)
		ORDER BY d.updated_at DESC, e.seq DESC LIMIT ?`, f.State, f.State, f.WebhookID, f.WebhookID, limit)
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
