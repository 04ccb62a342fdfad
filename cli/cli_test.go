package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultAdminKeyFile(t *testing.T) {
	for dsn, want := range map[string]string{
		"forewarn.db":                       "forewarn.db.admin-key",
		"/var/lib/forewarn/forewarn.db":     "/var/lib/forewarn/forewarn.db.admin-key",
		"postgres://forewarn@db/forewarn":   "forewarn-admin.key",
		"postgresql://forewarn@db/forewarn": "forewarn-admin.key",
	} {
		if got := DefaultAdminKeyFile(dsn); got != want {
			t.Errorf("%s: %s, want %s", dsn, got, want)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"768MiB", 768 << 20}, {"2GiB", 2 << 30}, {"500MB", 500e6}, {"1048576", 1 << 20}, {"10KB", 10e3}, {"3B", 3},
		{"", 0}, {"-1MiB", 0}, {"lots", 0}, {"0", 0}, {"1.5GiB", 0},
	} {
		got, err := ParseBytes(c.in)
		if got != c.want || (err != nil) != (c.want == 0) {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

// TestParseEnvironment checks that a flag left off the command line comes
// from its FOREWARN_ variable and that the command line wins.
func TestParseEnvironment(t *testing.T) {
	env := map[string]string{"FOREWARN_SUPPORT_NUMBER": "116 123", "FOREWARN_DB": "env.db", "FOREWARN_RATE": "fast"}
	m := &Main{Stderr: &bytes.Buffer{}, Getenv: func(k string) string { return env[k] }}
	fs := m.FlagSet("serve", "", "")
	number := fs.String("support-number", "", "")
	db := fs.String("db", "", "")
	if err := m.Parse(fs, []string{"--db", "flag.db"}); err != nil || *number != "116 123" || *db != "flag.db" {
		t.Fatalf("number %q, db %q, err %v", *number, *db, err)
	}
	fs = m.FlagSet("serve", "", "")
	fs.Float64("rate", 1, "")
	if err := m.Parse(fs, nil); err == nil || !strings.Contains(err.Error(), "FOREWARN_RATE") {
		t.Errorf("bad FOREWARN_RATE: err %v", err)
	}
}

func TestSubcommands(t *testing.T) {
	var errb bytes.Buffer
	m := &Main{Stderr: &errb}
	ran := ""
	subs := []Command{
		{Name: "add", Run: func(_ context.Context, _ *Main, args []string) error {
			ran = "add " + strings.Join(args, " ")
			return nil
		}},
		{Name: "list"}, {Name: "remove"},
	}
	if err := m.Subcommands(context.Background(), "hooks", "usage\n", []string{"add", "x"}, subs); err != nil || ran != "add x" {
		t.Errorf("add: ran %q, err %v", ran, err)
	}
	if err := m.Subcommands(context.Background(), "hooks", "usage\n", nil, subs); !errors.Is(err, flag.ErrHelp) || errb.String() != "usage\n" {
		t.Errorf("no subcommand: err %v, stderr %q", err, errb.String())
	}
	err := m.Subcommands(context.Background(), "hooks", "usage\n", []string{"nope"}, subs)
	if err == nil || !strings.Contains(err.Error(), "want add, list or remove") {
		t.Errorf("unknown subcommand: %v", err)
	}
}

func TestReadJSON(t *testing.T) {
	type recipe struct {
		Folds int    `json:"folds"`
		Team  string `json:"team"`
	}
	r := recipe{Folds: 5, Team: "team.jsonl"}
	if err := ReadJSON("", &r); err != nil || r.Folds != 5 {
		t.Fatalf("no file: %+v, %v", r, err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "recipe.json")
	if err := os.WriteFile(p, []byte(`{"folds": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := ReadJSON(p, &r); err != nil || r != (recipe{Folds: 3, Team: "team.jsonl"}) {
		t.Errorf("over the defaults: %+v, %v; want folds 3 and the default team", r, err)
	}
	if err := os.WriteFile(p, []byte(`{"folds": "three"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := ReadJSON(p, &r); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("bad JSON: err = %v, want one that names the file", err)
	}
	if err := ReadJSON(filepath.Join(dir, "none.json"), &r); err == nil {
		t.Error("missing file: no error")
	}
}
