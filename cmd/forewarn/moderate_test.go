package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/forewarn/forewarn/cli"
)

// TestModerateContext runs the context comments (moderate's test cases,
// each with the decision it should get on each post) through the CLI on a
// sensitive post and on a neutral one, checks the decisions of the kinds
// that are published by design (kind swearing, warm and neutral comments,
// idioms; the others are measured in the moderate package) and compares
// the whole output with a golden file. Two bad lines at the end must get
// error lines without stopping the run.
func TestModerateContext(t *testing.T) {
	// The cases and posts are the moderate package's, so that the two
	// tests cannot drift apart.
	dir := filepath.Join("..", "..", "moderate", "testdata")
	input, err := os.ReadFile(filepath.Join(dir, "context.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	type expect struct {
		ID        json.RawMessage `json:"id"`
		Text      string          `json:"text"`
		Kind      string          `json:"kind"`
		Sensitive string          `json:"sensitive"`
		Neutral   string          `json:"neutral"`
		// Known says why the embedded models decide a strict case
		// wrongly: it is reported, and fails once decided right.
		Known string `json:"known"`
	}
	var want []expect
	sc := bufio.NewScanner(bytes.NewReader(input))
	for sc.Scan() {
		var e expect
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	if len(want) < 40 {
		t.Fatalf("only %d comments", len(want))
	}
	stdin := string(input) + "{\"id\": 99}\nnot json\n"
	for _, post := range []string{"loss", "recipe"} {
		t.Run(post, func(t *testing.T) {
			out, stderr, err := run(t, stdin, "moderate", "--post", filepath.Join(dir, post+".txt"))
			if !errors.Is(err, cli.ErrSomeFailed) || !strings.Contains(stderr, "2 lines failed") {
				t.Fatalf("err %v, stderr %q; want 2 failed lines", err, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(want)+2 {
				t.Fatalf("%d output lines for %d input lines", len(lines), len(want)+2)
			}
			for i, w := range want {
				var got struct {
					ID       json.RawMessage `json:"id"`
					Decision string          `json:"decision"`
					Reasons  []string        `json:"reasons"`
					Scores   map[string]float64
					Evidence []struct{ Start, End int }
				}
				if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				wantDecision := w.Neutral
				if post == "loss" {
					wantDecision = w.Sensitive
				}
				strict := w.Kind == "kind-swear" || w.Kind == "neutral" || w.Kind == "idiom"
				switch {
				case !bytes.Equal(got.ID, w.ID):
					t.Errorf("%q: id %s, want %s", w.Text, got.ID, w.ID)
				case strict && w.Known != "" && got.Decision == wantDecision:
					t.Errorf("%q: now %s as wanted; remove its known mark", w.Text, got.Decision)
				case strict && w.Known != "":
					t.Logf("known: %q: %s, want %s: %s", w.Text, got.Decision, wantDecision, w.Known)
				case !bytes.Equal(got.ID, w.ID) || strict && got.Decision != wantDecision:
					t.Errorf("%s %q: id %s decision %s, want id %s decision %s (%q)", w.Kind, w.Text, got.ID, got.Decision, w.ID, wantDecision, got.Reasons)
				}
				for _, e := range got.Evidence {
					if e.Start < 0 || e.End > len(w.Text) || e.Start >= e.End || !utf8.ValidString(w.Text[e.Start:e.End]) {
						t.Errorf("%q: bad evidence span %d-%d", w.Text, e.Start, e.End)
					}
				}
				for _, k := range []string{"offensive", "targeted", "insult", "hate", "sexism", "threat", "profanity", "hostile", "self_harm"} {
					if _, ok := got.Scores[k]; !ok {
						t.Errorf("%q: no %s score", w.Text, k)
					}
				}
			}
			if !strings.HasPrefix(lines[len(want)], `{"id":99,"error":"missing \"text\"","line_number":`) || !strings.HasPrefix(lines[len(want)+1], `{"id":null,"error":"invalid JSON`) {
				t.Errorf("error lines:\n%s\n%s", lines[len(want)], lines[len(want)+1])
			}
			golden(t, filepath.Join("moderate", post+".golden.jsonl"), out)
		})
	}
}

func TestModerateArgs(t *testing.T) {
	post := filepath.Join("..", "..", "moderate", "testdata", "loss.txt")
	bad := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(bad, []byte(`{"thresholds": {"sensitive": {"hostile": 7}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(good, []byte(`{"deny": ["lemon drizzle"], "support_number": "116 123"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		args    []string
		stdin   string
		wantErr bool
		want    string
	}{
		{"no post", []string{"moderate"}, "", true, ""},
		{"missing post", []string{"moderate", "--post", "nope.txt"}, "", true, ""},
		{"bad policy", []string{"moderate", "--post", post, "--policy", bad}, "", true, ""},
		{"missing model", []string{"moderate", "--post", post, "--model", "nope.fwm"}, "", true, ""},
		{"deny phrase", []string{"moderate", "--post", post, "--policy", good}, `{"id":"x","text":"Lemon drizzle again?"}`, false, `"decision":"hold"`},
		{"support number", []string{"moderate", "--post", post, "--policy", good, "-"}, `{"id":1,"text":"I want to end it all"}`, false, `call 116 123 today`},
		{"empty input", []string{"moderate", "--post", post}, "", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := run(t, c.stdin, c.args...)
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v, want error %v", err, c.wantErr)
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("output %q lacks %q", out, c.want)
			}
		})
	}
}
