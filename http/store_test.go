package http_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/sqlite"
	"github.com/forewarn/forewarn/storetest"
)

// The integration tests run the real server against every store: SQLite in
// a temporary directory always, PostgreSQL on a fresh schema when
// FOREWARN_TEST_POSTGRES names a server (as .ci/run sets it). A few tests
// that need to make the store fail use memStore.
var storeKinds = []struct {
	name string
	open func(testing.TB) forewarn.Store
}{
	{"sqlite", openSQLite},
	{"postgres", openPostgres},
}

// eachStore runs test once per store kind, as subtests named after the store.
func eachStore(t *testing.T, test func(t *testing.T, st forewarn.Store)) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) { test(t, k.open(t)) })
	}
}

func openSQLite(t testing.TB) forewarn.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "forewarn.db"), slog.New(slog.DiscardHandler), time.Now)
	return closedAtEnd(t, db, err)
}

func openPostgres(t testing.TB) forewarn.Store {
	t.Helper()
	db, err := postgres.Open(context.Background(), storetest.PostgresSchema(t), slog.New(slog.DiscardHandler), time.Now)
	return closedAtEnd(t, db, err)
}

// closedAtEnd fails t on err, or returns st and closes it when t ends.
func closedAtEnd(t testing.TB, st forewarn.Store, err error) forewarn.Store {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	return st
}
