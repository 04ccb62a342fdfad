package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"

	"github.com/forewarn/forewarn"
)

var keysCommand = command{
	name:    "keys",
	summary: "create API keys for the HTTP API",
	run:     runKeys,
}

func runKeys(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stderr, `Usage: forewarn keys create [flags]

Subcommands:
  create    create a key and print its secret

Run "forewarn keys create -h" for its flags and examples.
`)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	switch args[0] {
	case "create":
		return runKeysCreate(ctx, m, args[1:])
	}
	return fmt.Errorf("keys: unknown subcommand %q (want create)", args[0])
}

func runKeysCreate(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("keys create", "--role publisher|moderator|admin [--db DSN]", `  # A key for the publishing system, in the default SQLite file:
  forewarn keys create --role publisher

  # A moderator key in a shared PostgreSQL database:
  forewarn keys create --db postgres://forewarn@db.example/forewarn --role moderator
`)
	dsn := fs.String("db", "forewarn.db", "SQLite file, or a postgres:// URL")
	roleName := fs.String("role", "", "what the key may do: publisher, moderator or admin (required)")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("keys create: unexpected argument %q", fs.Arg(0))
	}
	if *roleName == "" {
		fs.Usage()
		return errors.New("keys create: --role is required")
	}
	role, err := forewarn.ParseRole(*roleName)
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	store, err := openStore(ctx, m, *dsn)
	if err != nil {
		return err
	}
	secret, err := forewarn.NewKeySecret(rand.Reader)
	if err != nil {
		return err
	}
	k := forewarn.Key{Role: role}
	if err := store.CreateKey(ctx, &k, forewarn.HashKey(secret)); err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	// The secret alone goes to stdout so that scripts can capture it; it is
	// shown once, as only its hash is stored.
	fmt.Fprintf(m.Stderr, "created %s key %s; store the secret now, it cannot be shown again\n", k.Role, k.ID)
	fmt.Fprintln(m.Stdout, secret)
	return nil
}
