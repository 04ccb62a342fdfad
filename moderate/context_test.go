package moderate_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/warn"
)

// contextCase is one comment with the decision it should get under a
// sensitive post (a brother lost to an overdose) and under a neutral one
// (a recipe).
type contextCase struct {
	kind      string
	text      string
	sensitive forewarn.Decision
	neutral   forewarn.Decision
	// known, for a strict case, says why the embedded models decide it
	// wrongly: it is reported instead of failing, and fails once decided
	// right, so that the mark goes.
	known string
}

// contextCases reads the context cases, written for these tests and for
// the CLI's (cmd/forewarn reads the same file): one JSON object per line
// with the comment, its kind, and the decision it should get under the
// sensitive post and under the neutral one.
func contextCases(t testing.TB) []contextCase {
	t.Helper()
	b, err := os.ReadFile("testdata/context.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var cases []contextCase
	for i, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var c struct {
			Kind, Text, Known  string
			Sensitive, Neutral forewarn.Decision
		}
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("testdata/context.jsonl:%d: %v", i+1, err)
		}
		cases = append(cases, contextCase{c.Kind, c.Text, c.Sensitive, c.Neutral, c.Known})
	}
	return cases
}

func loadPost(t testing.TB, det *warn.Detector, mod *moderate.Moderator, name string) *forewarn.Post {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	w, err := det.Warn(string(b), "")
	if err != nil {
		t.Fatal(err)
	}
	return &forewarn.Post{Text: string(b), Topics: w.Topics, Sensitive: mod.Sensitive(w.Topics)}
}

func newModerator(t testing.TB) *moderate.Moderator {
	t.Helper()
	m, err := moderate.New(nil, moderate.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// strictKinds are the kinds of case every decision must get right: kind
// swearing, warm and neutral comments and idioms are published under
// every post, by design of the heads (swearing never holds).
var strictKinds = map[string]bool{"kind-swear": true, "neutral": true, "idiom": true}

// minRight is the share of the other cases (hostility without swear words,
// counter-speech, negation, risk) that must be decided as written. These
// sentences were written together with the old phrase list, so they are a
// regression guard for the learned models, not a measure of them: the
// measured figures are those of "forewarn eval --task moderate" on public
// test splits. The floor sits a little under what the embedded models get
// (43 of 64 since the phrase rules without a measured gain went, 0.67).
const minRight = 0.65

// TestContext decides the same comments under a sensitive post and under
// a neutral one.
func TestContext(t *testing.T) {
	det, err := warn.New(warn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := newModerator(t)
	loss := loadPost(t, det, m, "testdata/loss.txt")
	recipe := loadPost(t, det, m, "testdata/recipe.txt")
	if !loss.Sensitive || recipe.Sensitive {
		t.Fatalf("sensitivity: loss %v (%v), recipe %v (%v)", loss.Sensitive, loss.Topics, recipe.Sensitive, recipe.Topics)
	}
	cases := contextCases(t)
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	right, n := 0, 0
	for _, c := range cases {
		for _, p := range []struct {
			name string
			post *forewarn.Post
			want forewarn.Decision
		}{{"sensitive", loss, c.sensitive}, {"neutral", recipe, c.neutral}} {
			v := m.Decide(p.post, c.text)
			known := c.known
			switch {
			case strictKinds[c.kind] && known != "" && v.Decision == p.want:
				t.Errorf("%s post, %q: now %s as wanted; remove its known mark in testdata/context.jsonl", p.name, c.text, v.Decision)
			case strictKinds[c.kind] && known != "":
				t.Logf("known: %s post, %q: decision %s, want %s: %s", p.name, c.text, v.Decision, p.want, known)
			case strictKinds[c.kind] && v.Decision != p.want:
				t.Errorf("%s post, %s %q: decision %s, want %s (reasons %q)", p.name, c.kind, c.text, v.Decision, p.want, v.Reasons)
			case !strictKinds[c.kind]:
				n++
				if v.Decision == p.want {
					right++
				} else {
					t.Logf("%s post, %s %q: decision %s, want %s", p.name, c.kind, c.text, v.Decision, p.want)
				}
			}
			if (v.Decision == forewarn.Publish) != (len(v.Reasons) == 0) {
				t.Errorf("%q: decision %s with reasons %q", c.text, v.Decision, v.Reasons)
			}
			if (v.Decision == forewarn.Support) != (v.Support != "") {
				t.Errorf("%q: decision %s with support text %q", c.text, v.Decision, v.Support)
			}
			if v.Decision != forewarn.Publish && len(v.Evidence) == 0 {
				t.Errorf("%q: decision %s without evidence", c.text, v.Decision)
			}
		}
	}
	share := float64(right) / float64(n)
	t.Logf("%d of %d non-strict decisions as written (%.2f)", right, n, share)
	if share < minRight {
		t.Errorf("%d of %d non-strict decisions as written (%.2f), want at least %.2f", right, n, share, minRight)
	}
}
