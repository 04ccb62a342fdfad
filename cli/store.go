package cli

import (
	"context"
	"crypto/rand"
	"encoding"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
	"github.com/forewarn/forewarn/nats"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/sqlite"
)

// OpenStore opens the store named by dsn: PostgreSQL for a postgres:// or
// postgresql:// URL, otherwise an SQLite file at that path. The store
// closes when m closes.
func (m *Main) OpenStore(ctx context.Context, dsn string) (forewarn.Store, error) {
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
	m.OnClose(s.Close)
	return s, nil
}

// OpenExistingStore is OpenStore for the keys and webhooks commands. A
// missing SQLite file is an error unless create is set: "keys create" run
// from another directory used to make a new forewarn.db whose keys then
// got 401, and a webhook there would reach no server.
func (m *Main) OpenExistingStore(ctx context.Context, dsn string, create bool) (forewarn.Store, error) {
	if !postgres.IsURL(dsn) && !create {
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			abs, _ := filepath.Abs(dsn)
			return nil, fmt.Errorf("no database at %s: pass the --db that serve uses, or --create to make a new one", abs)
		}
	}
	return m.OpenStore(ctx, dsn)
}

// ServeMetrics serves h without keys on addr, if set, until m closes.
func (m *Main) ServeMetrics(addr string, h http.Handler) error {
	if addr == "" {
		return nil
	}
	a, stop, err := fwhttp.ServeMetrics(addr, h)
	if err != nil {
		return err
	}
	m.OnClose(stop)
	m.Logger.Info("serving metrics", "addr", a.String())
	return nil
}

// DefaultAdminKeyFile names the file for the first admin key: next to the
// SQLite database, or in the working directory for PostgreSQL.
func DefaultAdminKeyFile(dsn string) string {
	if postgres.IsURL(dsn) {
		return "forewarn-admin.key"
	}
	return dsn + ".admin-key"
}

// FirstAdmin creates the admin key on the first start and prints it with
// a sign-in link and what to do next (noNumber: the policy names no
// crisis line yet). The key and its link go to stdout only when it is a
// terminal, where a person reads them; otherwise (a service manager's log,
// a pipe) they go to keyFile, created readable by its owner only, and the
// log says where.
func (m *Main) FirstAdmin(ctx context.Context, store forewarn.Store, url string, support forewarn.SupportInfo, noNumber bool, keyFile string) error {
	secret, err := fwhttp.CreateFirstAdmin(ctx, store, rand.Reader)
	if err != nil || secret == "" {
		return err
	}
	if IsTerminal(m.Stdout) {
		fmt.Fprint(m.Stdout, "\n"+fwhttp.SignInText(url, secret))
	} else {
		if err := WritePrivate(keyFile, fwhttp.SignInText(url, secret)); err != nil {
			return fmt.Errorf("write first admin key: %w", err)
		}
		abs, _ := filepath.Abs(keyFile)
		m.Logger.Info("first start: wrote the admin key and its sign-in link to a file only you can read", "file", abs)
		fmt.Fprintf(m.Stdout, "\nFirst start: created an admin key; it is in %s (readable only by you).\n", abs)
	}
	fwhttp.WriteFirstStart(m.Stdout, support, noNumber)
	return nil
}

// ParseStore adds --db (and --create when canCreate) to fs, parses args,
// runs check, if set, on what was parsed (printing usage when it fails)
// and opens the existing store that --db names (see OpenExistingStore).
func (m *Main) ParseStore(ctx context.Context, fs *flag.FlagSet, args []string, canCreate bool, check func() error) (forewarn.Store, error) {
	dsn := fs.String("db", "forewarn.db", "SQLite file, or a postgres:// URL")
	create := new(bool)
	if canCreate {
		fs.BoolVar(create, "create", false, "make a new SQLite database when --db names none (without it, a missing file is an error: the key would go to a database no server reads)")
	}
	if err := m.Parse(fs, args); err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(); err != nil {
			fs.Usage()
			return nil, err
		}
	}
	return m.OpenExistingStore(ctx, *dsn, *create)
}

// ParseWebhookStore is ParseStore for the webhook commands: the store
// --db names, which must keep webhooks.
func (m *Main) ParseWebhookStore(ctx context.Context, fs *flag.FlagSet, args []string, check func() error) (forewarn.WebhookStore, error) {
	s, err := m.ParseStore(ctx, fs, args, false, check)
	if err != nil {
		return nil, err
	}
	ws, ok := s.(forewarn.WebhookStore)
	if !ok {
		return nil, errors.New("this store keeps no webhooks")
	}
	return ws, nil
}

// ConnectNATS connects to the NATS servers at urls (comma-separated) as
// name and closes the connection, draining it, when m closes.
func (m *Main) ConnectNATS(urls, name string) (jetstream.JetStream, error) {
	nc, js, err := nats.Connect(urls, name, m.Logger)
	if err != nil {
		return nil, err
	}
	m.OnClose(func() error { return nc.Drain() })
	return js, nil
}

// WriteModel writes a model file and returns its size.
func WriteModel(path string, model encoding.BinaryMarshaler) (int, error) {
	b, err := model.MarshalBinary()
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return 0, err
	}
	return len(b), nil
}
