// Package postgres implements forewarn.Store on PostgreSQL through pgx, so
// that several forewarn instances can share one database and one review
// queue.
//
// Migrations run on Open under an advisory lock, so instances may start
// together. Moderators claim comments with SELECT ... FOR UPDATE SKIP
// LOCKED, so two instances never hand out the same comment while it is
// claimed. Commits use the server's durability settings (synchronous_commit
// on by default): a write is acknowledged only once PostgreSQL has flushed
// it, and concurrent commits share WAL flushes.
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock key held while migrating
// (the bytes of "forewarn" read as an integer).
const migrationLock = 0x666f72657761726e

// DB is a forewarn.Store on a PostgreSQL connection pool. It is safe for
// concurrent use.
type DB struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
	now    func() time.Time
}

var (
	_ forewarn.Store      = (*DB)(nil)
	_ forewarn.BatchStore = (*DB)(nil)
)

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string; pool_max_conns and other pgxpool settings apply),
// applies the schema migrations it lacks, and returns the store. now is the
// clock used for timestamps and claim expiry; a nil logger discards.
func Open(ctx context.Context, dsn string, logger *slog.Logger, now func() time.Time) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgxpool's default (the number of CPUs, at least 4) is too small
		// for a server whose requests mostly wait on commits.
		cfg.MaxConns = int32(max(16, 4*runtime.GOMAXPROCS(0)))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db := &DB{pool: pool, logger: logger, now: now}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the pool once the connections in use are returned.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// migrate applies the embedded migrations newer than the recorded schema
// version while holding an advisory lock, so that instances starting
// together apply each migration once.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	slices.Sort(names)
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx has ended.
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLock)); err != nil {
			db.logger.Error("migration unlock failed", "err", err)
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: bad migration name %s", base)
		}
		if v <= current {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// No arguments: the simple protocol runs the whole file.
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)`, v, db.now())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		db.logger.Info("applied migration", "db", "postgres", "migration", base)
	}
	return nil
}

// stamp returns the current time at the precision the store keeps.
func (db *DB) stamp() time.Time { return forewarn.StoredTime(time.Time{}, db.now()) }

// isUnique reports whether err is a unique or primary key violation.
func isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// CreatePost stores p, filling in its ID and creation time when empty.
func (db *DB) CreatePost(ctx context.Context, p *forewarn.Post) error {
	if err := p.Prepare(rand.Reader, db.now()); err != nil {
		return fmt.Errorf("create post: %w", err)
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO posts (id, text, line, topics, sensitive, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		p.ID, p.Text, p.Line, p.Topics, p.Sensitive, p.CreatedAt)
	if isUnique(err) {
		return fmt.Errorf("create post %s: %w", p.ID, forewarn.ErrConflict)
	} else if err != nil {
		return fmt.Errorf("create post: %w", err)
	}
	return nil
}

// Post returns a post or forewarn.ErrNotFound.
func (db *DB) Post(ctx context.Context, id string) (*forewarn.Post, error) {
	if forewarn.CheckText(id) != nil {
		return nil, fmt.Errorf("post: %w", forewarn.ErrNotFound) // no such id can be stored
	}
	var p forewarn.Post
	err := db.pool.QueryRow(ctx, `SELECT id, text, line, topics, sensitive, created_at FROM posts WHERE id = $1`, id).
		Scan(&p.ID, &p.Text, &p.Line, &p.Topics, &p.Sensitive, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("post %s: %w", id, forewarn.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("post: %w", err)
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return &p, nil
}

// commentColumns lists the columns scanComment reads, in its order.
const commentColumns = `c.id, c.post_id, c.author, c.text, c.decision, c.status, c.scores, c.reasons, c.evidence, c.created_at, c.updated_at`

// scanComment reads one row of commentColumns, plus extra trailing columns.
func scanComment(row pgx.Row, extra ...any) (*forewarn.Comment, error) {
	var c forewarn.Comment
	dest := append([]any{&c.ID, &c.PostID, &c.Author, &c.Text, &c.Decision, &c.Status,
		&c.Scores, &c.Reasons, &c.Evidence, &c.CreatedAt, &c.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// CreateComment stores a copy of c, filling in its ID, status and times when
// empty. With an idempotency key, the key and the comment are inserted by
// one statement that stores neither when the key exists; a concurrent
// insert of the same key waits for the first to commit and then finds it.
func (db *DB) CreateComment(ctx context.Context, in *forewarn.Comment, idem forewarn.IdempotencyKey) (*forewarn.Comment, bool, error) {
	if err := idem.Check(); err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	c, err := in.Prepare(rand.Reader, db.now())
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	// One statement stores the comment, its idempotency key and the
	// webhook event with its deliveries, so that they commit together
	// without the round trips of a transaction.
	ev, err := forewarn.NewCommentEvent(rand.Reader, c, c.CreatedAt)
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	evArgs, err := eventArgs(ev)
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	args := append([]any{c.ID, c.PostID, c.Author, c.Text, c.Decision, c.Status, c.Scores, c.Reasons, c.Evidence, c.CreatedAt, c.UpdatedAt}, evArgs...)
	outbox := outboxCTE("$12", "$13", "$14", "$15", "$16")
	if idem.IsZero() {
		_, err := db.pool.Exec(ctx, `WITH src AS (INSERT INTO comments (id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING 1), `+outbox+` SELECT 1`, args...)
		if err != nil {
			return nil, false, commentInsertError(c.ID, err)
		}
		return c, false, nil
	}
	var inserted int
	err = db.pool.QueryRow(ctx, `WITH k AS (
			INSERT INTO idempotency_keys (key_id, key, comment_id, created_at) VALUES ($17, $18, $1, $10)
			ON CONFLICT (key_id, key) DO NOTHING RETURNING 1),
		src AS (INSERT INTO comments (id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at)
			SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::jsonb, $8::jsonb, $9::jsonb, $10::timestamptz, $11::timestamptz FROM k RETURNING 1),
		`+outbox+`
		SELECT count(*) FROM src`,
		append(args, idem.KeyID, idem.Key)...).Scan(&inserted)
	if err != nil {
		return nil, false, commentInsertError(c.ID, err)
	}
	if inserted == 1 {
		return c, false, nil
	}
	prev, err := scanComment(db.pool.QueryRow(ctx, `SELECT `+commentColumns+`
		FROM idempotency_keys k JOIN comments c ON c.id = k.comment_id WHERE k.key_id = $1 AND k.key = $2`, idem.KeyID, idem.Key))
	if err != nil {
		return nil, false, fmt.Errorf("create comment: replay: %w", err)
	}
	return prev, true, nil
}

// commentInsertError maps a failed insert. Text the store cannot hold was
// refused by Prepare, so any other refusal comes from the server's own
// values and is an internal error, never blamed on the client.
func commentInsertError(id string, err error) error {
	if isUnique(err) {
		return fmt.Errorf("create comment %s: %w", id, forewarn.ErrConflict)
	}
	return fmt.Errorf("create comment: %w", err)
}

// Comment returns a comment or forewarn.ErrNotFound.
func (db *DB) Comment(ctx context.Context, id string) (*forewarn.Comment, error) {
	if forewarn.CheckText(id) != nil {
		return nil, fmt.Errorf("comment: %w", forewarn.ErrNotFound) // no such id can be stored
	}
	c, err := scanComment(db.pool.QueryRow(ctx, `SELECT `+commentColumns+` FROM comments c WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("comment %s: %w", id, forewarn.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("comment: %w", err)
	}
	return c, nil
}

// queueWhere selects waiting comments for a filter ($1 statuses, $2 post).
// The literal status list lets the planner use the partial queue indexes.
const queueWhere = `c.status IN ('held', 'support') AND c.status = ANY($1) AND ($2 = '' OR c.post_id = $2)`

// queueArgs returns the arguments for queueWhere and the normalised limit.
func queueArgs(f forewarn.QueueFilter) ([]any, int, error) {
	statuses, limit, err := f.Normalize()
	if err != nil {
		return nil, 0, err
	}
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	return []any{names, f.PostID}, limit, nil
}

// collect reads rows of commentColumns.
func collect(rows pgx.Rows) ([]*forewarn.Comment, error) {
	defer rows.Close()
	out := []*forewarn.Comment{}
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Queue lists waiting comments, oldest first.
func (db *DB) Queue(ctx context.Context, f forewarn.QueueFilter) ([]*forewarn.Comment, error) {
	args, limit, err := queueArgs(f)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+commentColumns+` FROM comments c WHERE `+queueWhere+`
		ORDER BY c.created_at, c.seq LIMIT $3`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	out, err := collect(rows)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return out, nil
}

// Decide applies a moderator action to a waiting comment and writes the
// audit entry in the same transaction, with the comment's row locked so
// that two moderators cannot both decide it.
func (db *DB) Decide(ctx context.Context, id string, e forewarn.AuditEntry) (*forewarn.Comment, error) {
	to, err := e.Check()
	if err != nil {
		return nil, fmt.Errorf("decide: %w", err)
	}
	if forewarn.CheckText(id) != nil {
		return nil, fmt.Errorf("decide: %w", forewarn.ErrNotFound) // no such id can be stored
	}
	var c *forewarn.Comment
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		c, err = scanComment(tx.QueryRow(ctx, `SELECT `+commentColumns+` FROM comments c WHERE c.id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%s: %w", id, forewarn.ErrNotFound)
		} else if err != nil {
			return err
		}
		if _, err := e.Action.Next(c.Status); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		from, at := c.Status, db.stamp()
		c.Status, c.UpdatedAt = to, at
		if _, err := tx.Exec(ctx, `UPDATE comments SET status = $1, updated_at = $2, claimed_by = NULL, claimed_until = NULL WHERE id = $3`,
			to, at, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (comment_id, actor, action, note, from_status, to_status, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, e.Actor, e.Action, e.Note, from, to, at); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		e.CommentID, e.From, e.To, e.At = id, from, to, at
		ev, err := forewarn.NewDecisionEvent(rand.Reader, c, e, at)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, ev)
	})
	if err != nil {
		return nil, fmt.Errorf("decide: %w", err)
	}
	return c, nil
}

// Claim reserves up to f.Limit waiting comments that nobody holds (or whose
// claim has run out) for actor until the given time. Rows that another
// transaction is claiming right now are skipped rather than waited for.
func (db *DB) Claim(ctx context.Context, f forewarn.QueueFilter, actor string, until time.Time) ([]*forewarn.Comment, error) {
	if err := forewarn.CheckActor(actor); err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	args, limit, err := queueArgs(f)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	args = append(args, limit, actor, until, db.stamp())
	// The outer query gives the queue's order, which RETURNING lacks.
	rows, err := db.pool.Query(ctx, `WITH claimed AS (
			UPDATE comments c SET claimed_by = $4, claimed_until = $5
			FROM (SELECT c.seq FROM comments c WHERE `+queueWhere+`
				AND (c.claimed_until IS NULL OR c.claimed_until <= $6)
				ORDER BY c.created_at, c.seq LIMIT $3 FOR UPDATE SKIP LOCKED) free
			WHERE c.seq = free.seq
			RETURNING c.*)
		SELECT `+commentColumns+` FROM claimed c ORDER BY c.created_at, c.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	out, err := collect(rows)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return out, nil
}

// Audit returns a comment's audit entries, oldest first, or
// forewarn.ErrNotFound for an unknown comment.
func (db *DB) Audit(ctx context.Context, id string) ([]forewarn.AuditEntry, error) {
	if forewarn.CheckText(id) != nil {
		return nil, fmt.Errorf("audit: %w", forewarn.ErrNotFound) // no such id can be stored
	}
	rows, err := db.pool.Query(ctx, `SELECT c.id, a.actor, a.action, a.note, a.from_status, a.to_status, a.at
		FROM comments c LEFT JOIN audit_log a ON a.comment_id = c.id WHERE c.id = $1 ORDER BY a.seq`, id)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	found := false
	out := []forewarn.AuditEntry{}
	for rows.Next() {
		found = true
		var (
			e                             forewarn.AuditEntry
			actor, action, note, from, to *string
			at                            *time.Time
		)
		if err := rows.Scan(&e.CommentID, &actor, &action, &note, &from, &to, &at); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if at == nil {
			continue // the comment exists but has no entries
		}
		e.Actor, e.Action, e.Note = *actor, forewarn.Action(*action), *note
		e.From, e.To, e.At = forewarn.Status(*from), forewarn.Status(*to), at.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("audit %s: %w", id, forewarn.ErrNotFound)
	}
	return out, nil
}

// QueueDepth counts waiting comments by status; both waiting statuses are
// always present.
func (db *DB) QueueDepth(ctx context.Context) (map[forewarn.Status]int, error) {
	var held, support int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'held'), count(*) FILTER (WHERE status = 'support')
		FROM comments WHERE status IN ('held', 'support')`).Scan(&held, &support)
	if err != nil {
		return nil, fmt.Errorf("queue depth: %w", err)
	}
	return map[forewarn.Status]int{forewarn.StatusHeld: held, forewarn.StatusSupport: support}, nil
}

// CreateKey stores k under the hash of its secret, filling in its ID and
// creation time when empty. A reused ID or hash is forewarn.ErrConflict.
func (db *DB) CreateKey(ctx context.Context, k *forewarn.Key, hash []byte) error {
	if err := k.Prepare(rand.Reader, db.now(), hash); err != nil {
		return fmt.Errorf("create key: %w", err)
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO api_keys (id, role, hash, created_at) VALUES ($1, $2, $3, $4)`,
		k.ID, k.Role, hash, k.CreatedAt)
	if isUnique(err) {
		return fmt.Errorf("create key: %w", forewarn.ErrConflict)
	} else if err != nil {
		return fmt.Errorf("create key: %w", err)
	}
	return nil
}

// KeyByHash returns the key stored under hash or forewarn.ErrNotFound.
func (db *DB) KeyByHash(ctx context.Context, hash []byte) (*forewarn.Key, error) {
	var k forewarn.Key
	err := db.pool.QueryRow(ctx, `SELECT id, role, created_at FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`, hash).Scan(&k.ID, &k.Role, &k.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("key: %w", forewarn.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return &k, nil
}

// SaveComments stores comments that an intake took in, in one transaction:
// an upsert by comment ID that leaves a stored comment as it is, so that a
// batch saved twice (a redelivery after a crash) changes nothing. It
// returns, for each comment, whether it was new.
func (db *DB) SaveComments(ctx context.Context, in []forewarn.Accepted) ([]bool, error) {
	n := len(in)
	var (
		ids, posts, authors, texts = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		decisions, statuses        = make([]string, n), make([]string, n)
		scores, reasons, evidence  = make([]string, n), make([]string, n), make([]string, n)
		created, updated           = make([]time.Time, n), make([]time.Time, n)
		keyIDs, keys, keyComments  []string
		keyTimes                   []time.Time
		prepared                   = make([]*forewarn.Comment, n)
	)
	for i, a := range in {
		if a.Comment == nil || a.Comment.ID == "" {
			return nil, fmt.Errorf("save comments: %w: comment %d has no ID", forewarn.ErrInvalid, i)
		}
		c, err := a.Comment.Prepare(rand.Reader, db.now())
		if err != nil {
			return nil, fmt.Errorf("save comments: %s: %w", a.Comment.ID, err)
		}
		ids[i], posts[i], authors[i], texts[i] = c.ID, c.PostID, c.Author, c.Text
		decisions[i], statuses[i] = string(c.Decision), string(c.Status)
		for _, f := range []struct {
			dst *string
			v   any
		}{{&scores[i], c.Scores}, {&reasons[i], c.Reasons}, {&evidence[i], c.Evidence}} {
			b, err := json.Marshal(f.v)
			if err != nil {
				return nil, fmt.Errorf("save comments: %w", err)
			}
			*f.dst = string(b)
		}
		created[i], updated[i] = c.CreatedAt, c.UpdatedAt
		prepared[i] = c
		if err := a.Idem.Check(); err != nil {
			return nil, fmt.Errorf("save comments: %s: %w", c.ID, err)
		}
		if !a.Idem.IsZero() {
			keyIDs, keys = append(keyIDs, a.Idem.KeyID), append(keys, a.Idem.Key)
			keyComments, keyTimes = append(keyComments, c.ID), append(keyTimes, c.CreatedAt)
		}
	}
	fresh := make(map[string]bool, n)
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// unnest keeps the batch's order, so seq follows it.
		rows, err := tx.Query(ctx, `INSERT INTO comments (id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at)
			SELECT id, post, author, text, decision, status, scores::jsonb, reasons::jsonb, evidence::jsonb, created, updated
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
				AS u(id, post, author, text, decision, status, scores, reasons, evidence, created, updated)
			ON CONFLICT (id) DO NOTHING RETURNING id`,
			ids, posts, authors, texts, decisions, statuses, scores, reasons, evidence, created, updated)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			fresh[id] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// The webhook events of the new comments commit with them.
		queued := make(map[string]bool, len(fresh))
		var events []*forewarn.Event
		for _, c := range prepared {
			if !fresh[c.ID] || queued[c.ID] {
				continue
			}
			queued[c.ID] = true
			ev, err := forewarn.NewCommentEvent(rand.Reader, c, c.CreatedAt)
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		if err := enqueueAll(ctx, tx, events); err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO idempotency_keys (key_id, key, comment_id, created_at)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT (key_id, key) DO NOTHING`,
			keyIDs, keys, keyComments, keyTimes)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save comments: %w", err)
	}
	out := make([]bool, n)
	for i, id := range ids {
		// A comment twice in one batch is new only the first time.
		out[i] = fresh[id]
		delete(fresh, id)
	}
	return out, nil
}

// enqueueAll writes events and their deliveries inside tx in one
// statement, as enqueue does for one event: an event is kept only when a
// webhook wants its type, with one delivery per such webhook. One statement
// for a whole batch keeps a worker's transaction to a few round trips.
func enqueueAll(ctx context.Context, tx pgx.Tx, events []*forewarn.Event) error {
	if len(events) == 0 {
		return nil
	}
	n := len(events)
	ids, types, comments, bodies, times := make([]string, n), make([]string, n), make([]string, n), make([][]byte, n), make([]time.Time, n)
	for i, ev := range events {
		args, err := eventArgs(ev)
		if err != nil {
			return err
		}
		ids[i], types[i], comments[i], bodies[i], times[i] = args[0].(string), args[1].(string), args[2].(string), args[3].([]byte), args[4].(time.Time)
	}
	_, err := tx.Exec(ctx, `WITH hooks AS (SELECT w.id, w.url, w.events FROM webhooks w),
		ev AS (INSERT INTO webhook_events (id, type, comment_id, body, created_at)
			SELECT u.id, u.type, u.comment_id, u.body, u.created_at
			FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[]) AS u(id, type, comment_id, body, created_at)
			WHERE EXISTS (SELECT 1 FROM hooks h WHERE h.events = '[]'::jsonb OR h.events ? u.type)
			RETURNING id, type, created_at),
		dl AS (INSERT INTO webhook_deliveries (event_id, webhook_id, url, state, attempts, next_at, last_status, last_error, created_at, updated_at)
			SELECT ev.id, h.id, h.url, 'pending', 0, ev.created_at, 0, '', ev.created_at, ev.created_at
			FROM ev JOIN hooks h ON h.events = '[]'::jsonb OR h.events ? ev.type RETURNING 1)
		SELECT 1`, ids, types, comments, bodies, times)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Keys lists every key, revoked ones too, oldest first.
func (db *DB) Keys(ctx context.Context) ([]forewarn.Key, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, role, created_at, revoked_at FROM api_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	defer rows.Close()
	out := []forewarn.Key{}
	for rows.Next() {
		var k forewarn.Key
		if err := rows.Scan(&k.ID, &k.Role, &k.CreatedAt, &k.RevokedAt); err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		k.CreatedAt = k.CreatedAt.UTC()
		if k.RevokedAt != nil {
			t := k.RevokedAt.UTC()
			k.RevokedAt = &t
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return out, nil
}

// RevokeKey revokes the key with the given ID; a revoked key keeps its
// first revocation time.
func (db *DB) RevokeKey(ctx context.Context, id string) error {
	if forewarn.CheckText(id) != nil {
		return fmt.Errorf("revoke key: %w", forewarn.ErrNotFound) // no such id can be stored
	}
	tag, err := db.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`, db.stamp(), id)
	if err != nil {
		return fmt.Errorf("revoke key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke key %q: %w", id, forewarn.ErrNotFound)
	}
	return nil
}

// Ready rewrites the readiness row, so that it fails when the server does
// not take writes (a read-only replica, a full disk, no connection).
func (db *DB) Ready(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO readiness (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at`, db.now())
	if err != nil {
		return fmt.Errorf("ready: %w", err)
	}
	return nil
}
