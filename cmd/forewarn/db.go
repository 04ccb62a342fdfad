package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

// openStore opens the store named by dsn (a SQLite file path) and closes it
// when m closes.
func openStore(ctx context.Context, m *Main, dsn string) (forewarn.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("open store: %w: PostgreSQL is not built in yet", forewarn.ErrInvalid)
	}
	db, err := sqlite.Open(ctx, dsn, m.Logger, time.Now)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	m.onClose(db.Close)
	return db, nil
}
