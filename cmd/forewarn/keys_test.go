package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

func TestKeysCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keys.db")
	secretShape := regexp.MustCompile(`^fwk_[a-z2-7]{32}\n$`)
	tests := []struct {
		name    string
		args    []string
		role    forewarn.Role
		wantErr error
	}{
		{"missing database", []string{"keys", "create", "--db", db, "--role", "publisher"}, "", nil},
		{"publisher", []string{"keys", "create", "--db", db, "--role", "publisher", "--create"}, forewarn.RolePublisher, nil},
		{"moderator", []string{"keys", "create", "--db", db, "--role", "moderator"}, forewarn.RoleModerator, nil},
		{"admin", []string{"keys", "create", "--role=admin", "--db=" + db}, forewarn.RoleAdmin, nil},
		{"unknown role", []string{"keys", "create", "--db", db, "--role", "root"}, "", forewarn.ErrInvalid},
		{"no role", []string{"keys", "create", "--db", db}, "", nil},
		{"help", []string{"keys", "create", "-h"}, "", flag.ErrHelp},
		{"unknown subcommand", []string{"keys", "delete"}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, "", tt.args...)
			if tt.role == "" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("err = %v, want an error (%v)", err, tt.wantErr)
				}
				if stdout != "" {
					t.Errorf("printed %q on failure", stdout)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v; stderr %s", err, stderr)
			}
			if !secretShape.MatchString(stdout) {
				t.Fatalf("stdout %q is not one key secret", stdout)
			}
			// Only the hash is stored: look the key up by it.
			s, err := sqlite.Open(context.Background(), db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			k, err := s.KeyByHash(context.Background(), forewarn.HashKey(strings.TrimSpace(stdout)))
			if err != nil {
				t.Fatalf("lookup: %v", err)
			}
			if k.Role != tt.role || !strings.Contains(stderr, k.ID) {
				t.Errorf("stored %+v; stderr %q", k, stderr)
			}
		})
	}
}

func TestKeysHelp(t *testing.T) {
	_, stderr, err := run(t, "", "help", "keys")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "forewarn keys create") {
		t.Errorf("help says %q", stderr)
	}
	_, stderr, _ = run(t, "", "keys", "create", "-h")
	for _, want := range []string{"--role publisher|moderator|admin", "Examples:", "-db"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("create help lacks %q:\n%s", want, stderr)
		}
	}
}

func TestKeysListRevoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keys.db")
	_, _, err := run(t, "", "keys", "list", "--db", db)
	if err == nil || !strings.Contains(err.Error(), "--create") {
		t.Fatalf("list on a missing database: %v", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("list made a database: %v", err)
	}
	secret, _, err := run(t, "", "keys", "create", "--db", db, "--role", "publisher", "--create")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(db); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	out, _, err := run(t, "", "keys", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`(?m)^(k_\S+)\s+publisher\s+\S+\s+-$`).FindStringSubmatch(out)
	if id == nil || strings.Contains(out, strings.TrimSpace(secret)) {
		t.Fatalf("list printed %q", out)
	}
	if _, _, err := run(t, "", "keys", "revoke", "--db", db, id[1]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "keys", "revoke", "--db", db, "k_nope"); err == nil {
		t.Error("revoking an unknown key succeeded")
	}
	out, _, _ = run(t, "", "keys", "list", "--db", db)
	if !regexp.MustCompile(`(?m)^` + id[1] + `\s+publisher\s+\S+\s+\d{4}-`).MatchString(out) {
		t.Errorf("revoked key listed as %q", out)
	}
	s, err := sqlite.Open(context.Background(), db, slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.KeyByHash(context.Background(), forewarn.HashKey(strings.TrimSpace(secret))); !errors.Is(err, forewarn.ErrNotFound) {
		t.Errorf("revoked key found: %v", err)
	}
}
