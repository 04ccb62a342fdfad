package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/cli"
)

func TestWarnFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	text := "A quiet day.\n\nShe had a miscarriage in May, and the grief stayed with her for years."
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "", "warn", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "Warning: This article contains mentions of pregnancy loss and grief.\n") || !strings.Contains(out, "[miscarriage]") || strings.Contains(out, "\x1b[") {
		t.Errorf("output:\n%s", out)
	}
	out, _, err = run(t, "", "warn", "--style", "tags", "--json", p)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		File string `json:"file"`
		Line string `json:"line"`
	}
	if err := json.Unmarshal([]byte(out), &w); err != nil || w.Line != "CW: pregnancy loss, grief" || w.File != p {
		t.Errorf("json output %q (%v)", out, err)
	}
	if _, _, err := run(t, "", "warn", "--style", "poem", p); err == nil {
		t.Error("unknown style: no error")
	}
}

func TestWarnJSONL(t *testing.T) {
	in := `{"id": 7, "text": "He was stabbed outside the station."}
{"id": "b", "text": "Lovely weather for the picnic."}
not json
{"id": 8, "text": "I could kill for a coffee."}
{"id": [1], "text": "an array is not an id"}
{"id": "x"}
`
	out, _, err := run(t, in, "warn", "--jsonl", "-")
	if !errors.Is(err, cli.ErrSomeFailed) {
		t.Errorf("err = %v, want cli.ErrSomeFailed", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		`{"id":7,"line":"Warning: This article contains discussion of violence.","topics":[{"id":"violence","name":"violence","score":0.9,"prominence":"discussion","evidence":[{"start":7,"end":14}]}]}`,
		`{"id":"b","line":"","topics":[]}`,
		`{"id":null,"error":"invalid JSON: invalid character 'o' in literal null (expecting 'u')","line_number":3}`,
		`{"id":8,"line":"","topics":[]}`,
		`{"id":[1],"error":"\"id\" must be a string or a number","line_number":5}`,
		`{"id":"x","error":"missing \"text\"","line_number":6}`,
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
}

func TestWarnBatch(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.txt":     "The soldiers shelled the town during the war.",
		"b.txt":     "We baked bread.",
		"sub/c.txt": "He died of an overdose.",
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, err := run(t, "", "warn", "--batch", dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, "\n"); n != 3 {
		t.Errorf("want 3 result lines, got:\n%s", out)
	}
	if !strings.Contains(stderr, "3 texts, 2 with a warning, 0 failed") || !strings.Contains(stderr, "drug-use") {
		t.Errorf("summary:\n%s", stderr)
	}
	jl := filepath.Join(dir, "in.jsonl")
	os.WriteFile(jl, []byte(`{"id":1,"text":"The war ended."}`+"\n"+`{"id":2,"text":"Tea?"}`+"\n"), 0o644)
	out, stderr, err = run(t, "", "warn", "--batch", "--jsonl", jl)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 2 || !strings.Contains(stderr, "2 texts, 1 with a warning") {
		t.Errorf("out:\n%s\nstderr:\n%s", out, stderr)
	}
}
