package http_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

// The integration tests run on a real SQLite database in a temporary
// directory; a few tests that need to make the store fail use memStore.
func init() {
	newStore = func(t testing.TB) forewarn.Store {
		t.Helper()
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "forewarn.db"), slog.New(slog.DiscardHandler), time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		})
		return db
	}
}
