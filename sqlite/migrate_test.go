package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
)

// TestMigrateIdempotencyColumns builds a database at schema version 1, whose
// idempotency keys joined the API key ID and the client's key with a NUL
// byte, and checks that opening it splits them into two columns that
// replays then find.
func TestMigrateIdempotencyColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := migrations.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMicro()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{string(schema), nil},
		{`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`, nil},
		{`INSERT INTO schema_version VALUES (1, ?)`, []any{now}},
		{`INSERT INTO comments (id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at)
			VALUES ('c_joined', 'p', 'a', 'joined', 'hold', 'held', '{}', '[]', '[]', ?, ?),
			       ('c_plain', 'p', 'a', 'plain', 'hold', 'held', '{}', '[]', '[]', ?, ?)`, []any{now, now, now, now}},
		{`INSERT INTO idempotency_keys (key, comment_id, created_at) VALUES (?, 'c_joined', ?), ('plain-key', 'c_plain', ?)`,
			[]any{"k_pub\x00retry-1", now, now}},
	} {
		if _, err := raw.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%.40s: %v", q.sql, err)
		}
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(context.Background(), path, slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		key     forewarn.IdempotencyKey
		existed bool
		id      string
	}{
		{forewarn.IdempotencyKey{KeyID: "k_pub", Key: "retry-1"}, true, "c_joined"},
		{forewarn.IdempotencyKey{Key: "plain-key"}, true, "c_plain"},
		{forewarn.IdempotencyKey{KeyID: "k_other", Key: "retry-1"}, false, ""},
	}
	for _, tt := range tests {
		c, existed, err := db.CreateComment(context.Background(), &forewarn.Comment{PostID: "p", Text: "again", Decision: forewarn.Hold}, tt.key)
		if err != nil {
			t.Fatalf("%+v: %v", tt.key, err)
		}
		if existed != tt.existed || (tt.existed && c.ID != tt.id) {
			t.Errorf("%+v: existed %v id %s, want %v %s", tt.key, existed, c.ID, tt.existed, tt.id)
		}
	}
}
