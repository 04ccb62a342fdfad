package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEnv runs the program in-process on stdin with env as its whole
// environment and returns its output streams and the error of the run, or
// else of closing it. Log lines are discarded.
func runEnv(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	m := NewMain()
	var out, errb bytes.Buffer
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(stdin), &out, &errb
	m.Logger = slog.New(slog.DiscardHandler)
	m.Getenv = func(k string) string { return env[k] }
	err = m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return out.String(), errb.String(), err
}

// run is runEnv with an empty environment, so that FOREWARN_* variables
// of the shell that runs the tests change nothing.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runEnv(t, nil, stdin, args...)
}

func TestHelpShowsEachCommandsOwnFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string // a flag only that command has
	}{
		{[]string{"help", "keys", "create"}, "-role"},
		{[]string{"help", "serve"}, "-support-number"},
		{[]string{"help", "serve"}, "-access-log"},
		{[]string{"help", "warn"}, "-style"},
		{[]string{"help", "score"}, "-model"},
		{[]string{"help", "moderate"}, "-post"},
		{[]string{"help", "version"}, "-json"},
		{[]string{"keys", "create", "--help"}, "-role"},
		{[]string{"help", "webhooks", "add"}, "-events"},
		{[]string{"help", "webhooks", "listen"}, "-secret"},
		{[]string{"help", "webhooks", "deliveries"}, "-state"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, stderr, _ := run(t, "", tt.args...)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("help does not mention %s:\n%s", tt.want, stderr)
			}
			if !strings.Contains(stderr, "FOREWARN_") {
				t.Errorf("help does not say flags may come from the environment:\n%s", stderr)
			}
		})
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	envDB := filepath.Join(dir, "env.db")
	flagDB := filepath.Join(dir, "flag.db")
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantDB  string
		wantErr string
	}{
		{"environment sets the flags", map[string]string{"FOREWARN_DB": envDB, "FOREWARN_ROLE": "moderator", "FOREWARN_CREATE": "true"}, nil, envDB, ""},
		{"a flag wins over the environment", map[string]string{"FOREWARN_DB": envDB}, []string{"--db", flagDB, "--role", "publisher", "--create"}, flagDB, ""},
		{"a bad value names the variable", map[string]string{"FOREWARN_ROLE": "owner", "FOREWARN_DB": envDB}, nil, "", "unknown role owner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(tt.wantDB)
			out, stderr, err := runEnv(t, tt.env, "", append([]string{"keys", "create"}, tt.args...)...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if !strings.HasPrefix(out, "fwk_") {
				t.Errorf("stdout %q, want a key", out)
			}
			if _, err := os.Stat(tt.wantDB); err != nil {
				t.Errorf("key not stored in %s: %v", tt.wantDB, err)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, err := run(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "forewarn ") || !strings.Contains(out, "go1.") {
		t.Errorf("version: %q, %v", out, err)
	}
	out, _, err = run(t, "", "version", "--json")
	var v struct{ Version, Go string }
	if err != nil || json.Unmarshal([]byte(out), &v) != nil || v.Version == "" || v.Go == "" {
		t.Errorf("version --json: %q, %v", out, err)
	}
}

func TestErrorsListValidValues(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(p, []byte("A quiet day."), 0o644)
	_, _, err := run(t, "", "warn", "--style", "fancy", p)
	if err == nil || !strings.Contains(err.Error(), "news, note, tags") {
		t.Errorf("err = %v, want the valid styles listed", err)
	}
	_, _, err = run(t, "", "eval", "--task", "vibes")
	if err == nil || !strings.Contains(err.Error(), "olid") || !strings.Contains(err.Error(), "webis") {
		t.Errorf("err = %v, want the valid tasks listed", err)
	}
	_, _, err = run(t, "", "frobnicate")
	if err == nil || !strings.Contains(err.Error(), "serve") || !strings.Contains(err.Error(), "webhooks") {
		t.Errorf("err = %v, want the commands listed", err)
	}
	_, _, err = run(t, "", "keys", "create", "--role", "owner", "--db", filepath.Join(t.TempDir(), "k.db"))
	if err == nil || !strings.Contains(err.Error(), "publisher, moderator or admin") {
		t.Errorf("err = %v, want the valid roles listed", err)
	}
}

// TestWarnBatchEmptyTopics checks that a text without a warning gets
// "topics": [] in --batch output, as in every other output, never null.
func TestWarnBatchEmptyTopics(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "quiet.txt"), []byte("The bakery opens at eight and sells rye bread."), 0o644)
	out, _, err := run(t, "", "warn", "--batch", dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "null") || !strings.Contains(out, `"topics":[]`) {
		t.Errorf("batch output %s", out)
	}
}
