package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/sqlite"
)

// openStore opens the store named by dsn: PostgreSQL for a postgres:// or
// postgresql:// URL, otherwise an SQLite file at that path. The store
// closes when m closes.
func openStore(ctx context.Context, m *Main, dsn string) (forewarn.Store, error) {
	var (
		s   forewarn.Store
		err error
	)
	if isPostgres(dsn) {
		s, err = postgres.Open(ctx, dsn, m.Logger, time.Now)
	} else {
		s, err = sqlite.Open(ctx, dsn, m.Logger, time.Now)
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	m.onClose(s.Close)
	return s, nil
}

// isPostgres reports whether dsn names a PostgreSQL database.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
