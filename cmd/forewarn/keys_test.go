package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

// runMain runs the program with args and returns its output and error.
func runMain(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain()
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(""), &out, &errOut
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	err = m.Run(context.Background(), args)
	if cerr := m.Close(); cerr != nil {
		t.Fatalf("close: %v", cerr)
	}
	return out.String(), errOut.String(), err
}

func TestKeysCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keys.db")
	secretShape := regexp.MustCompile(`^fwk_[a-z2-7]{32}\n$`)
	tests := []struct {
		name    string
		args    []string
		role    forewarn.Role
		wantErr error
	}{
		{"publisher", []string{"keys", "create", "--db", db, "--role", "publisher"}, forewarn.RolePublisher, nil},
		{"moderator", []string{"keys", "create", "--db", db, "--role", "moderator"}, forewarn.RoleModerator, nil},
		{"admin", []string{"keys", "create", "--role=admin", "--db=" + db}, forewarn.RoleAdmin, nil},
		{"unknown role", []string{"keys", "create", "--db", db, "--role", "root"}, "", forewarn.ErrInvalid},
		{"no role", []string{"keys", "create", "--db", db}, "", nil},
		{"help", []string{"keys", "create", "-h"}, "", flag.ErrHelp},
		{"unknown subcommand", []string{"keys", "delete"}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runMain(t, tt.args...)
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
	_, stderr, err := runMain(t, "help", "keys")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "forewarn keys create") {
		t.Errorf("help says %q", stderr)
	}
	_, stderr, _ = runMain(t, "keys", "create", "-h")
	for _, want := range []string{"--role publisher|moderator|admin", "Examples:", "-db"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("create help lacks %q:\n%s", want, stderr)
		}
	}
}
