package sqlite_test

import (
	"context"
	"io"
	"log/slog"
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
