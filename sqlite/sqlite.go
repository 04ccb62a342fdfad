// Package sqlite implements forewarn.Store on an SQLite file through
// modernc.org/sqlite, a pure Go driver, so that the binary needs no cgo.
//
// The database runs in WAL mode with synchronous=NORMAL. In that mode a
// commit has written its WAL frames to the operating system before it
// returns, so an acknowledged write survives the process being killed
// (SIGKILL, a crash, an OOM kill); only a power loss or kernel crash can
// lose the last commits before the next checkpoint. synchronous=FULL would
// add an fsync per commit and is not needed for process failures.
//
// SQLite allows one writer at a time, so all writes go through a single
// connection with prepared statements, and reads use a separate pool of
// read-only connections that WAL lets run beside the writer.
package sqlite

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout is how long a statement waits for another process's lock
// before it fails with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// DB is a forewarn.Store on one SQLite file. It is safe for concurrent use.
type DB struct {
	write  *sql.DB // one connection: SQLite serialises writers anyway
	read   *sql.DB // read-only pool
	logger *slog.Logger
	now    func() time.Time

	writes     chan write // to the writer goroutine, which groups commits
	writerDone chan struct{}
	closeMu    sync.RWMutex
	closed     bool

	insertComment *sql.Stmt
	insertIdem    *sql.Stmt
	idemComment   *sql.Stmt
	writeComment  *sql.Stmt // comment by id on the writer, inside transactions
	readComment   *sql.Stmt // comment by id on the read pool
}

var _ forewarn.Store = (*DB)(nil)

// Open opens (creating if needed) the database file at path, applies the
// schema migrations it lacks and prepares the hot statements. now is the
// clock used for timestamps and claim expiry; a nil logger discards.
func Open(ctx context.Context, path string, logger *slog.Logger, now func() time.Time) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" {
		return nil, fmt.Errorf("open sqlite: %w: path %q must name a file", forewarn.ErrInvalid, path)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	pragmas := "?_pragma=busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")"
	wdb, err := sql.Open("sqlite", path+pragmas+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	db := &DB{write: wdb, logger: logger, now: now}
	if err := db.migrate(ctx); err != nil {
		wdb.Close()
		return nil, err
	}
	// The readers open after the migration so that the file is in WAL mode.
	db.read, err = sql.Open("sqlite", path+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	db.writes, db.writerDone = make(chan write, maxBatch), make(chan struct{})
	go db.writer()
	if err := db.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// createPrivate creates the database file readable and writable by its
// owner only (0600) when it does not exist. SQLite gives its -wal and -shm
// files the database file's mode, so they are private too. The comments,
// authors and key hashes in it are nobody else's business.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	} else if err != nil {
		return err
	}
	return f.Close()
}

func (db *DB) prepare(ctx context.Context) error {
	stmts := []struct {
		dst   **sql.Stmt
		on    *sql.DB
		query string
	}{
		{&db.insertComment, db.write, `INSERT INTO comments (id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&db.insertIdem, db.write, `INSERT INTO idempotency_keys (key_id, key, comment_id, created_at) VALUES (?, ?, ?, ?)`},
		{&db.idemComment, db.write, `SELECT comment_id FROM idempotency_keys WHERE key_id = ? AND key = ?`},
		{&db.writeComment, db.write, `SELECT ` + commentColumns + ` FROM comments WHERE id = ?`},
		{&db.readComment, db.read, `SELECT ` + commentColumns + ` FROM comments WHERE id = ?`},
	}
	for _, s := range stmts {
		st, err := s.on.PrepareContext(ctx, s.query)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*s.dst = st
	}
	return nil
}

// Close waits for the writes in progress, then closes the statements and
// both pools.
func (db *DB) Close() error {
	if db.writes != nil {
		db.closeWriter()
	}
	var errs []error
	for _, s := range []*sql.Stmt{db.insertComment, db.insertIdem, db.idemComment, db.writeComment, db.readComment} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close sqlite: %w", err)
	}
	return nil
}

// migrate applies the embedded migrations newer than the recorded schema
// version, all in one immediate transaction so that two processes opening
// the same new file do not both apply them.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	slices.Sort(names)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
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
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`, v, micro(db.now())); err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		db.logger.Info("applied migration", "db", "sqlite", "migration", base)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// micro converts t to the stored form: Unix microseconds.
func micro(t time.Time) int64 { return t.UnixMicro() }

// fromMicro converts a stored time back.
func fromMicro(us int64) time.Time { return time.UnixMicro(us).UTC() }

// stamp returns the current time at the precision the store keeps.
func (db *DB) stamp() time.Time { return forewarn.StoredTime(time.Time{}, db.now()) }

// isConstraint reports whether err is a UNIQUE or PRIMARY KEY violation.
func isConstraint(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// CreatePost stores p, filling in its ID and creation time when empty.
func (db *DB) CreatePost(ctx context.Context, p *forewarn.Post) error {
	if err := p.Prepare(rand.Reader, db.now()); err != nil {
		return fmt.Errorf("create post: %w", err)
	}
	topics, err := json.Marshal(p.Topics)
	if err != nil {
		return fmt.Errorf("create post: %w", err)
	}
	err = db.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO posts (id, text, line, topics, sensitive, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.Text, p.Line, topics, p.Sensitive, micro(p.CreatedAt))
		return err
	})
	if isConstraint(err) {
		return fmt.Errorf("create post %s: %w", p.ID, forewarn.ErrConflict)
	} else if err != nil {
		return fmt.Errorf("create post: %w", err)
	}
	return nil
}

// Post returns a post or forewarn.ErrNotFound.
func (db *DB) Post(ctx context.Context, id string) (*forewarn.Post, error) {
	var (
		p      forewarn.Post
		topics []byte
		at     int64
	)
	err := db.read.QueryRowContext(ctx, `SELECT id, text, line, topics, sensitive, created_at FROM posts WHERE id = ?`, id).
		Scan(&p.ID, &p.Text, &p.Line, &topics, &p.Sensitive, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("post %s: %w", id, forewarn.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("post: %w", err)
	}
	if err := json.Unmarshal(topics, &p.Topics); err != nil {
		return nil, fmt.Errorf("post %s topics: %w", id, err)
	}
	p.CreatedAt = fromMicro(at)
	return &p, nil
}

// commentColumns lists the columns scanComment reads, in its order.
const commentColumns = `id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

// scanComment reads one row of commentColumns, plus extra trailing columns.
func scanComment(row scanner, extra ...any) (*forewarn.Comment, error) {
	var (
		c                         forewarn.Comment
		scores, reasons, evidence []byte
		created, updated          int64
	)
	dest := append([]any{&c.ID, &c.PostID, &c.Author, &c.Text, &c.Decision, &c.Status,
		&scores, &reasons, &evidence, &created, &updated}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(scores, &c.Scores); err != nil {
		return nil, fmt.Errorf("comment %s scores: %w", c.ID, err)
	}
	if err := json.Unmarshal(reasons, &c.Reasons); err != nil {
		return nil, fmt.Errorf("comment %s reasons: %w", c.ID, err)
	}
	if err := json.Unmarshal(evidence, &c.Evidence); err != nil {
		return nil, fmt.Errorf("comment %s evidence: %w", c.ID, err)
	}
	c.CreatedAt, c.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &c, nil
}

// newComment prepares in for storing and returns it with its JSON columns.
func (db *DB) newComment(in *forewarn.Comment) (c *forewarn.Comment, scores, reasons, evidence []byte, err error) {
	if c, err = in.Prepare(rand.Reader, db.now()); err != nil {
		return nil, nil, nil, nil, err
	}
	if scores, err = json.Marshal(c.Scores); err != nil {
		return nil, nil, nil, nil, err
	}
	if reasons, err = json.Marshal(c.Reasons); err != nil {
		return nil, nil, nil, nil, err
	}
	if evidence, err = json.Marshal(c.Evidence); err != nil {
		return nil, nil, nil, nil, err
	}
	return c, scores, reasons, evidence, nil
}

// CreateComment stores a copy of c, filling in its ID, status and times when
// empty. With an idempotency key, the lookup and both inserts share one
// transaction on the single writer, so the same key can never store twice.
func (db *DB) CreateComment(ctx context.Context, in *forewarn.Comment, idem forewarn.IdempotencyKey) (*forewarn.Comment, bool, error) {
	if err := idem.Check(); err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	c, scores, reasons, evidence, err := db.newComment(in)
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	stored, existed := c, false
	err = db.update(ctx, func(tx *sql.Tx) error {
		if !idem.IsZero() {
			var prev string
			err := tx.Stmt(db.idemComment).QueryRow(idem.KeyID, idem.Key).Scan(&prev)
			if err == nil {
				stored, err = scanComment(tx.Stmt(db.writeComment).QueryRow(prev))
				if err != nil {
					return fmt.Errorf("replay %s: %w", prev, err)
				}
				existed = true
				return nil
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if _, err := tx.Stmt(db.insertComment).Exec(c.ID, c.PostID, c.Author, c.Text, c.Decision, c.Status,
			scores, reasons, evidence, micro(c.CreatedAt), micro(c.UpdatedAt)); err != nil {
			if isConstraint(err) {
				return fmt.Errorf("%s: %w", c.ID, forewarn.ErrConflict)
			}
			return err
		}
		if !idem.IsZero() {
			if _, err := tx.Stmt(db.insertIdem).Exec(idem.KeyID, idem.Key, c.ID, micro(c.CreatedAt)); err != nil {
				return fmt.Errorf("idempotency key: %w", err)
			}
		}
		ev, err := forewarn.NewCommentEvent(rand.Reader, c, c.CreatedAt)
		if err != nil {
			return err
		}
		return enqueue(tx, ev)
	})
	if err != nil {
		return nil, false, fmt.Errorf("create comment: %w", err)
	}
	return stored, existed, nil
}

// Comment returns a comment or forewarn.ErrNotFound.
func (db *DB) Comment(ctx context.Context, id string) (*forewarn.Comment, error) {
	c, err := scanComment(db.readComment.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("comment %s: %w", id, forewarn.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("comment: %w", err)
	}
	return c, nil
}

// queueWhere selects waiting comments for a filter. The literal status list
// lets SQLite use the partial queue indexes.
const queueWhere = `status IN ('held', 'support') AND status IN (?, ?) AND (? = '' OR post_id = ?)`

// queueArgs returns the arguments for queueWhere and the normalised limit.
func queueArgs(f forewarn.QueueFilter) ([]any, int, error) {
	statuses, limit, err := f.Normalize()
	if err != nil {
		return nil, 0, err
	}
	last := statuses[len(statuses)-1]
	return []any{statuses[0], last, f.PostID, f.PostID}, limit, nil
}

// Queue lists waiting comments, oldest first.
func (db *DB) Queue(ctx context.Context, f forewarn.QueueFilter) ([]*forewarn.Comment, error) {
	args, limit, err := queueArgs(f)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+commentColumns+` FROM comments WHERE `+queueWhere+
		` ORDER BY created_at, seq LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	out := []*forewarn.Comment{}
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return out, nil
}

// Decide applies a moderator action to a waiting comment and writes the
// audit entry in the same transaction.
func (db *DB) Decide(ctx context.Context, id string, e forewarn.AuditEntry) (*forewarn.Comment, error) {
	to, err := e.Check()
	if err != nil {
		return nil, fmt.Errorf("decide: %w", err)
	}
	var c *forewarn.Comment
	err = db.update(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanComment(tx.Stmt(db.writeComment).QueryRow(id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w", id, forewarn.ErrNotFound)
		} else if err != nil {
			return err
		}
		if _, err := e.Action.Next(c.Status); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		from, at := c.Status, db.stamp()
		c.Status, c.UpdatedAt = to, at
		if _, err := tx.Exec(`UPDATE comments SET status = ?, updated_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ?`,
			to, micro(at), id); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO audit_log (comment_id, actor, action, note, from_status, to_status, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, e.Actor, e.Action, e.Note, from, to, micro(at)); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		e.CommentID, e.From, e.To, e.At = id, from, to, at
		ev, err := forewarn.NewDecisionEvent(rand.Reader, c, e, at)
		if err != nil {
			return err
		}
		return enqueue(tx, ev)
	})
	if err != nil {
		return nil, fmt.Errorf("decide: %w", err)
	}
	return c, nil
}

// Claim reserves up to f.Limit waiting comments that nobody holds (or whose
// claim has run out) for actor until the given time. The single writer
// makes the select and update one atomic step.
func (db *DB) Claim(ctx context.Context, f forewarn.QueueFilter, actor string, until time.Time) ([]*forewarn.Comment, error) {
	if err := forewarn.CheckActor(actor); err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	args, limit, err := queueArgs(f)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	args = append([]any{actor, micro(until)}, args...)
	args = append(args, micro(db.stamp()), limit)
	type claimed struct {
		c   *forewarn.Comment
		seq int64
	}
	var got []claimed
	err = db.update(ctx, func(tx *sql.Tx) error {
		got = got[:0]
		rows, err := tx.Query(`UPDATE comments SET claimed_by = ?, claimed_until = ?
			WHERE seq IN (SELECT seq FROM comments WHERE `+queueWhere+`
				AND (claimed_until IS NULL OR claimed_until <= ?)
				ORDER BY created_at, seq LIMIT ?)
			RETURNING `+commentColumns+`, seq`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			c, err := scanComment(rows, &seq)
			if err != nil {
				return err
			}
			got = append(got, claimed{c, seq})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	// RETURNING has no order; give the queue's.
	slices.SortFunc(got, func(a, b claimed) int {
		if c := a.c.CreatedAt.Compare(b.c.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]*forewarn.Comment, len(got))
	for i, g := range got {
		out[i] = g.c
	}
	return out, nil
}

// Audit returns a comment's audit entries, oldest first, or
// forewarn.ErrNotFound for an unknown comment.
func (db *DB) Audit(ctx context.Context, id string) ([]forewarn.AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, a.actor, a.action, a.note, a.from_status, a.to_status, a.at
		FROM comments c LEFT JOIN audit_log a ON a.comment_id = c.id WHERE c.id = ? ORDER BY a.seq`, id)
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
			actor, action, note, from, to sql.NullString
			at                            sql.NullInt64
		)
		if err := rows.Scan(&e.CommentID, &actor, &action, &note, &from, &to, &at); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if !at.Valid {
			continue // the comment exists but has no entries
		}
		e.Actor, e.Action, e.Note = actor.String, forewarn.Action(action.String), note.String
		e.From, e.To, e.At = forewarn.Status(from.String), forewarn.Status(to.String), fromMicro(at.Int64)
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
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'held'), count(*) FILTER (WHERE status = 'support')
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
	err := db.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO api_keys (id, role, hash, created_at) VALUES (?, ?, ?, ?)`,
			k.ID, k.Role, hash, micro(k.CreatedAt))
		return err
	})
	if isConstraint(err) {
		return fmt.Errorf("create key: %w", forewarn.ErrConflict)
	} else if err != nil {
		return fmt.Errorf("create key: %w", err)
	}
	return nil
}

// KeyByHash returns the key stored under hash or forewarn.ErrNotFound.
func (db *DB) KeyByHash(ctx context.Context, hash []byte) (*forewarn.Key, error) {
	var (
		k  forewarn.Key
		at int64
	)
	err := db.read.QueryRowContext(ctx, `SELECT id, role, created_at FROM api_keys WHERE hash = ? AND revoked_at IS NULL`, hash).Scan(&k.ID, &k.Role, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("key: %w", forewarn.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	k.CreatedAt = fromMicro(at)
	return &k, nil
}

// Keys lists every key, revoked ones too, oldest first.
func (db *DB) Keys(ctx context.Context) ([]forewarn.Key, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, role, created_at, revoked_at FROM api_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	defer rows.Close()
	out := []forewarn.Key{}
	for rows.Next() {
		var (
			k       forewarn.Key
			at      int64
			revoked sql.NullInt64
		)
		if err := rows.Scan(&k.ID, &k.Role, &at, &revoked); err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		k.CreatedAt = fromMicro(at)
		if revoked.Valid {
			t := fromMicro(revoked.Int64)
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
	var n int64
	err := db.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, micro(db.stamp()), id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke key: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("revoke key %q: %w", id, forewarn.ErrNotFound)
	}
	return nil
}

// Ready rewrites the readiness row through the writer, so that it fails
// when the file cannot take writes (read-only, disk full, locked).
func (db *DB) Ready(ctx context.Context) error {
	err := db.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO readiness (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`, micro(db.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("ready: %w", err)
	}
	return nil
}
