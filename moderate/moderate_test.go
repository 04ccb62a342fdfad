package moderate_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/moderate"
)

var griefPost = &forewarn.Post{ID: "p", Sensitive: true, Topics: []forewarn.Topic{{ID: "grief"}, {ID: "death"}}}

func TestNudge(t *testing.T) {
	m := newModerator(t)
	p := moderate.DefaultPolicy()
	for _, c := range []struct {
		name      string
		post      *forewarn.Post
		text      string
		nudge     bool
		message   string
		evidence  string // a word the evidence must cover
		isSupport bool
	}{
		{"hold on grief post", griefPost, "Stop whining, you pathetic attention seeker.", true, p.Messages["grief"], "pathetic", false},
		{"insult on no post", nil, "You are a complete moron.", true, p.Messages["insult"], "moron", false},
		{"kind", griefPost, "Holy shit, I'm so sorry for your loss.", false, "", "", false},
		{"negated", griefPost, "You are not an attention seeker.", false, "", "", false},
		{"support", griefPost, "I want to end it all.", true, p.SupportText(), "", true},
		{"mild on neutral post", nil, "Get over it.", false, "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := m.Nudge(c.post, c.text)
			if n.Nudge != c.nudge || n.Message != c.message {
				t.Fatalf("nudge %v %q, want %v %q", n.Nudge, n.Message, c.nudge, c.message)
			}
			if c.isSupport != (n.Support != "") || c.isSupport && len(n.Evidence) > 0 {
				t.Errorf("support %q, evidence %v", n.Support, n.Evidence)
			}
			if c.evidence != "" {
				found := false
				for _, e := range n.Evidence {
					found = found || strings.Contains(c.text[e.Start:e.End], c.evidence)
				}
				if !found {
					t.Errorf("evidence %v does not cover %q", n.Evidence, c.evidence)
				}
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	for _, c := range []struct {
		name, json string
		ok         bool
	}{
		{"empty", `{}`, true},
		{"override", `{"thresholds": {"neutral": {"hostile": 0.3}}, "allow": ["get over it"]}`, true},
		{"unknown field", `{"colour": "red"}`, false},
		{"bad threshold", `{"thresholds": {"sensitive": {"hostile": -1}}}`, false},
		{"unknown threshold key", `{"thresholds": {"neutral": {"nudge_targeted": 0.3}}}`, false},
		{"misspelt head", `{"thresholds": {"sensitive": {"insults": 0.5}}}`, false},
		{"no support", `{"support": " "}`, false},
		{"bad json", `{`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := moderate.ParsePolicy([]byte(c.json))
			if (err == nil) != c.ok {
				t.Fatalf("err %v, want ok %v", err, c.ok)
			}
			if err == nil {
				if _, err := moderate.New(nil, p); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	// A zero insult threshold holds what the default publishes, and an
	// allow phrase keeps the model's scores from holding.
	p, _ := moderate.ParsePolicy([]byte(`{"thresholds": {"neutral": {"insult": 0}}}`))
	m, _ := moderate.New(nil, p)
	if v := m.Decide(nil, "Get over it."); v.Decision != forewarn.Hold || len(v.Evidence) == 0 {
		t.Errorf("zero threshold: %s %v", v.Decision, v.Evidence)
	}
	p, _ = moderate.ParsePolicy([]byte(`{"allow": ["get over it"], "thresholds": {"sensitive": {"insult": 0}}}`))
	m, _ = moderate.New(nil, p)
	if v := m.Decide(griefPost, "Get over it."); v.Decision != forewarn.Publish {
		t.Errorf("allowed phrase: %s %q", v.Decision, v.Reasons)
	}
	p, _ = moderate.ParsePolicy([]byte(`{"categories": {"mocks-grief": {"reason": "mocks grief", "weight": 0.9}}, "patterns": {"mocks-grief": ["so much drama"]}}`))
	m, _ = moderate.New(nil, p)
	if v := m.Decide(griefPost, "So much drama over nothing."); v.Decision != forewarn.Hold || v.Reasons[0] != "mocks grief" {
		t.Errorf("policy pattern: %s %q", v.Decision, v.Reasons)
	}
	p, _ = moderate.ParsePolicy([]byte(`{"deny": ["bananas"]}`))
	m, _ = moderate.New(nil, p)
	if v := m.Decide(nil, "I like bananas."); v.Decision != forewarn.Hold {
		t.Errorf("deny phrase: %s", v.Decision)
	}
	if _, err := moderate.New(nil, moderate.Policy{}); err == nil {
		t.Error("zero policy accepted")
	}
	p, _ = moderate.ParsePolicy([]byte(`{"patterns": {"nope": ["x"]}}`))
	if _, err := moderate.New(nil, p); err == nil {
		t.Error("unknown pattern category accepted")
	}
}

func FuzzDecide(f *testing.F) {
	for _, c := range contextCases(f) {
		f.Add(c.text, true)
	}
	f.Add("y\u200bou a\u0301re an i.d.i.o.t", false)
	f.Add("\xff\xfe you junkie", true)
	f.Add("", false)
	m := newModerator(f)
	f.Fuzz(func(t *testing.T, text string, sensitive bool) {
		var post *forewarn.Post
		if sensitive {
			post = griefPost
		}
		v := m.Decide(post, text)
		if v2 := m.Decide(post, text); !reflect.DeepEqual(v, v2) {
			t.Fatalf("not deterministic:\n%+v\n%+v", v, v2)
		}
		n := m.Nudge(post, text)
		// Boundaries as a decoder sees them: an invalid byte is a unit.
		bound := map[int]bool{len(text): true}
		for i := 0; i < len(text); {
			bound[i] = true
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
		for _, ev := range [][]forewarn.Evidence{v.Evidence, n.Evidence} {
			for _, e := range ev {
				if e.Start < 0 || e.End > len(text) || e.Start >= e.End {
					t.Fatalf("span %d-%d out of bounds for %d bytes", e.Start, e.End, len(text))
				}
				if !bound[e.Start] || !bound[e.End] {
					t.Fatalf("span %d-%d not on rune boundaries of %q", e.Start, e.End, text)
				}
			}
		}
		switch v.Decision {
		case forewarn.Publish, forewarn.Hold, forewarn.Support:
		default:
			t.Fatalf("decision %q", v.Decision)
		}
		if (v.Decision == forewarn.Hold || v.Decision == forewarn.Support) != n.Nudge && v.Decision != forewarn.Publish {
			t.Fatalf("decision %s but nudge %v", v.Decision, n.Nudge)
		}
	})
}

func BenchmarkDecide(b *testing.B) {
	m := newModerator(b)
	texts := make([]string, 0, len(contextCases(b)))
	size := 0
	for _, c := range contextCases(b) {
		texts = append(texts, c.text)
		size += len(c.text)
	}
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Decide(griefPost, texts[i%len(texts)])
		i++
	}
}

// BenchmarkDecideLength decides one comment of 1 KB, 10 KB and 100 KB
// built from the context comments: time per byte should stay flat.
func BenchmarkDecideLength(b *testing.B) {
	m := newModerator(b)
	var all strings.Builder
	for _, c := range contextCases(b) {
		all.WriteString(c.text)
		all.WriteByte(' ')
	}
	for _, size := range []int{1 << 10, 10 << 10, 100 << 10} {
		text := strings.Repeat(all.String(), size/all.Len()+1)[:size]
		text = strings.ToValidUTF8(text, "")
		b.Run(strconv.Itoa(size>>10)+"KB", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				m.Decide(griefPost, text)
			}
		})
	}
}

// TestNudgeKey checks that the policy's nudge score is read: at 0 every
// published draft on a sensitive post earns the borderline message, above
// 1 none does.
func TestNudgeKey(t *testing.T) {
	const draft = "Thank you for writing this."
	for _, c := range []struct {
		json  string
		nudge bool
	}{
		{`{"thresholds": {"sensitive": {"nudge": 0}}}`, true},
		{`{"thresholds": {"sensitive": {"nudge": 1.01}}}`, false},
	} {
		p, err := moderate.ParsePolicy([]byte(c.json))
		if err != nil {
			t.Fatal(err)
		}
		m, err := moderate.New(nil, p)
		if err != nil {
			t.Fatal(err)
		}
		if v := m.Decide(griefPost, draft); v.Decision != forewarn.Publish {
			t.Fatalf("%s: decision %s", c.json, v.Decision)
		}
		n := m.Nudge(griefPost, draft)
		if n.Nudge != c.nudge || c.nudge && n.Message != p.Messages["borderline"] {
			t.Errorf("%s: nudge %v %q", c.json, n.Nudge, n.Message)
		}
	}
}

// TestNegationReach checks how far a negation reaches, with a publisher's
// pattern so that only the phrase layer decides: a negation within
// negation.Window words of the phrase, in its clause, cancels it; one
// further back, or across a comma, does not.
func TestNegationReach(t *testing.T) {
	p, err := moderate.ParsePolicy([]byte(`{"patterns": {"mocks-grief": ["bad mother"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := moderate.New(nil, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		held bool
	}{
		{"She was a bad mother.", true},
		{"She was not a bad mother.", false},
		{"She wasnt a bad mother.", false},
		{"She didn't seem a bad mother.", false},
		{"Nobody ever said she was a bad mother.", true},
		{"Not sure why, she was a bad mother.", true},
	} {
		v := m.Decide(griefPost, c.text)
		if held := v.Decision == forewarn.Hold; held != c.held {
			t.Errorf("%q: decision %s (reasons %q), want held %v", c.text, v.Decision, v.Reasons, c.held)
		}
	}
}
