package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/storetest"
	"github.com/jackc/pgx/v5"
)

// testDSN returns the server the tests use, or skips.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("FOREWARN_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("FOREWARN_TEST_POSTGRES is not set: skipping the PostgreSQL store tests " +
			"(set it to a postgres:// URL of a server the tests may create schemas on)")
	}
	return dsn
}

// freshSchema creates an empty schema, dropped when tb ends, and returns a
// DSN whose connections use it, so that tests never see each other's rows.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	dsn := testDSN(tb)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "forewarn_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("connect: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	return withParam(tb, dsn, "search_path", schema)
}

// withParam adds a parameter to a URL or key=value DSN.
func withParam(tb testing.TB, dsn, key, value string) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " " + key + "=" + value
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("parse dsn: %v", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), dsn, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) forewarn.Store { return open(t, freshSchema(t)) })
}

// TestMigrateTogether starts several stores on one new schema at once: the
// advisory lock must let exactly one apply the migrations.
func TestMigrateTogether(t *testing.T) {
	dsn := freshSchema(t)
	const n = 4
	errs := make(chan error, n)
	dbs := make(chan *postgres.DB, n)
	for range n {
		go func() {
			db, err := postgres.Open(t.Context(), dsn, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
			errs <- err
			dbs <- db
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("open: %v", err)
		}
		if db := <-dbs; db != nil {
			defer db.Close()
		}
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var versions, max int
	if err := conn.QueryRow(t.Context(), "SELECT count(*), max(version) FROM schema_version").Scan(&versions, &max); err != nil {
		t.Fatal(err)
	}
	if versions != max {
		t.Errorf("schema_version has %d rows for %d migrations", versions, max)
	}
}

func BenchmarkCreateComment(b *testing.B) {
	db := open(b, freshSchema(b))
	defer db.Close()
	storetest.BenchmarkCreateComment(b, db)
}
