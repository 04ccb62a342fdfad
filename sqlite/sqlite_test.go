package sqlite_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
	"github.com/forewarn/forewarn/storetest"
)

func open(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "forewarn.db"), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) forewarn.Store { return open(t) })
}

func BenchmarkCreateComment(b *testing.B) {
	db := open(b)
	defer db.Close()
	storetest.BenchmarkCreateComment(b, db)
}

// FuzzCommentText checks that any text either round-trips through the store
// byte for byte or is refused as invalid.
func FuzzCommentText(f *testing.F) {
	for _, s := range []string{"", "kind words", "ünï 🌱", "nul\x00", "\xff", "'; --"} {
		f.Add(s)
	}
	db := open(f)
	defer db.Close()
	f.Fuzz(func(t *testing.T, text string) { storetest.CheckText(t, db, text) })
}

// TestReopen checks that data and the schema version survive reopening, and
// that migrations are not applied twice.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reopen.db")
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	var id string
	for i := range 3 {
		db, err := sqlite.Open(ctx, path, logger, time.Now)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i == 0 {
			c, _, err := db.CreateComment(ctx, &forewarn.Comment{PostID: "p", Text: "kept", Decision: forewarn.Hold}, forewarn.IdempotencyKey{KeyID: "k-test", Key: "k"})
			if err != nil {
				t.Fatal(err)
			}
			id = c.ID
		}
		c, err := db.Comment(ctx, id)
		if err != nil || c.Text != "kept" {
			t.Fatalf("open %d: comment %v, %v", i, c, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenBadPath(t *testing.T) {
	for _, path := range []string{"", ":memory:", "a.db?mode=ro", filepath.Join(t.TempDir(), "missing", "dir", "x.db")} {
		if db, err := sqlite.Open(context.Background(), path, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

// TestPrivateFiles checks that a new database and its WAL files are
// readable by their owner only, whatever the umask.
func TestPrivateFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "private.db")
	db, err := sqlite.Open(context.Background(), path, slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := db.CreateComment(context.Background(), &forewarn.Comment{PostID: "p", Text: "x", Decision: forewarn.Hold}, forewarn.IdempotencyKey{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"private.db", "private.db-wal", "private.db-shm"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
		}
	}
}
