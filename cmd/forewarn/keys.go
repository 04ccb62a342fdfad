package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/cli"
	fwhttp "github.com/forewarn/forewarn/http"
)

var keysCommand = cli.Command{
	Name:    "keys",
	Summary: "create, list and revoke API keys for the HTTP API",
	Run:     runKeys,
}

func runKeys(ctx context.Context, m *cli.Main, args []string) error {
	return m.Subcommands(ctx, "keys", `Usage: forewarn keys create|list|revoke [flags]

Subcommands:
  create    create a key and print its secret
  list      list the keys: id, role, when created and revoked
  revoke    revoke a key by its id

Run "forewarn keys create -h" (list, revoke) for its flags and examples.
`, args, []cli.Command{{Name: "create", Run: runKeysCreate}, {Name: "list", Run: runKeysList}, {Name: "revoke", Run: runKeysRevoke}})
}

func runKeysList(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("keys list", "[--db DSN]", `  forewarn keys list
  forewarn keys list --db postgres://forewarn@db.example/forewarn
`)
	store, err := m.ParseStore(ctx, fs, args, true, func() error { return cli.NoArgs(fs, "keys list") })
	if err != nil {
		return err
	}
	keys, err := store.Keys(ctx)
	if err != nil {
		return fmt.Errorf("keys list: %w", err)
	}
	return cli.WriteKeys(m.Stdout, keys)
}

func runKeysRevoke(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("keys revoke", "[--db DSN] ID", `  forewarn keys list
  forewarn keys revoke k_2x7q4m
`)
	store, err := m.ParseStore(ctx, fs, args, true, func() error { return cli.OneArg(fs, "keys revoke", "key ID (see forewarn keys list)") })
	if err != nil {
		return err
	}
	id := fs.Arg(0)
	if err := store.RevokeKey(ctx, id); errors.Is(err, forewarn.ErrNotFound) {
		return fmt.Errorf("keys revoke: no key %q (see forewarn keys list)", id)
	} else if err != nil {
		return fmt.Errorf("keys revoke: %w", err)
	}
	fmt.Fprintf(m.Stderr, "revoked key %s; servers refuse it within %s (at once through DELETE /v1/keys/%s)\n", id, fwhttp.DefaultKeyCacheTTL, id)
	return nil
}

func runKeysCreate(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("keys create", "--role publisher|moderator|admin [--db DSN]", `  # A key for the publishing system, in the default SQLite file:
  forewarn keys create --role publisher

  # A moderator key in a shared PostgreSQL database:
  forewarn keys create --db postgres://forewarn@db.example/forewarn --role moderator
`)
	roleName := fs.String("role", "", "what the key may do: publisher, moderator or admin (required)")
	var role forewarn.Role
	store, err := m.ParseStore(ctx, fs, args, true, func() (err error) {
		if *roleName == "" {
			return errors.New("keys create: --role is required")
		}
		if role, err = forewarn.ParseRole(*roleName); err != nil {
			return fmt.Errorf("keys create: %w", err)
		}
		return cli.NoArgs(fs, "keys create")
	})
	if err != nil {
		return err
	}
	k := forewarn.Key{Role: role}
	secret, err := forewarn.IssueKey(ctx, store, &k, rand.Reader)
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	// The secret alone goes to stdout so that scripts can capture it; it is
	// shown once, as only its hash is stored.
	fmt.Fprintf(m.Stderr, "created %s key %s; store the secret now, it cannot be shown again\n", k.Role, k.ID)
	fmt.Fprintln(m.Stdout, secret)
	return nil
}
