package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	if postgres.IsURL(dsn) {
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

// openExistingStore opens the store for the keys and webhooks commands. A
// missing SQLite file is an error unless create is set: "keys create" run
// from another directory used to make a new forewarn.db whose keys then
// got 401, and a webhook there would reach no server.
func openExistingStore(ctx context.Context, m *Main, dsn string, create bool) (forewarn.Store, error) {
	if !postgres.IsURL(dsn) && !create {
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			abs, _ := filepath.Abs(dsn)
			return nil, fmt.Errorf("no database at %s: pass the --db that serve uses, or --create to make a new one", abs)
		}
	}
	return openStore(ctx, m, dsn)
}

// subcommand is one subcommand of keys or webhooks.
type subcommand struct {
	name string
	run  func(context.Context, *Main, []string) error
}

// subcommands runs the subcommand of a command with subcommands (keys,
// webhooks) named by args[0], or prints usage for none or help.
func (m *Main) subcommands(ctx context.Context, name, usage string, args []string, subs []subcommand) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stderr, usage)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	names := make([]string, len(subs))
	for i, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, m, args[1:])
		}
		names[i] = s.name
	}
	return fmt.Errorf("%s: unknown subcommand %q (want %s or %s)", name, args[0], strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
