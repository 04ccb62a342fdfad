package jsonl

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
)

// fakeScorer scores a text by its length and flags "long" past 5 bytes,
// with the whole text as evidence.
type fakeScorer struct{}

func (fakeScorer) Labels() []string { return []string{"short", "long"} }

func (fakeScorer) Explain(text string, probs []float64, ev []forewarn.Evidence) (uint64, []forewarn.Evidence) {
	probs[0], probs[1] = 0.25, float64(len(text))/10
	if len(text) > 5 {
		return 0b10, append(ev, forewarn.Evidence{Label: "long", Start: 0, End: len(text)})
	}
	return 0, ev
}

func TestScoreLine(t *testing.T) {
	fn := ScoreLine(fakeScorer{})
	for _, tt := range []struct{ text, want string }{
		{"longer", `{"id":1,"scores":{"short":0.25,"long":0.6},"flagged":["long"],"evidence":[{"label":"long","start":0,"end":6}]}`},
		// The second call reuses the buffers: no evidence is left over.
		{"tiny", `{"id":1,"scores":{"short":0.25,"long":0.4},"flagged":[],"evidence":[]}`},
	} {
		b, err := fn(nil, []byte("1"), tt.text)
		if err != nil || string(b) != tt.want {
			t.Errorf("%q: %s, %v; want %s", tt.text, b, err, tt.want)
		}
	}
}

// fakeDetector warns of grief when a text says "funeral", and fails on
// "fail".
type fakeDetector struct{}

func (fakeDetector) Warn(text, style string) (forewarn.Warning, error) {
	switch {
	case text == "fail":
		return forewarn.Warning{}, errors.New("no warning")
	case strings.Contains(text, "funeral"):
		return forewarn.Warning{Line: "grief", Topics: []forewarn.Topic{{ID: "grief", Name: "grief", Score: 1}}}, nil
	}
	return forewarn.Warning{}, nil
}

func TestWarnLine(t *testing.T) {
	var sum Summary
	fn := WarnLine(fakeDetector{}, &sum)
	b, err := fn(nil, []byte(`"a"`), "the funeral")
	if err != nil || !strings.HasPrefix(string(b), `{"id":"a","line":"grief","topics":[{"id":"grief"`) {
		t.Errorf("funeral: %s, %v", b, err)
	}
	if _, err := fn(nil, []byte(`"b"`), "a walk"); err != nil {
		t.Errorf("a walk: %v", err)
	}
	if _, err := fn(nil, []byte(`"c"`), "fail"); err == nil {
		t.Error("a failing text: no error")
	}
	if sum.Texts != 2 || sum.Warned != 1 || sum.Topics["grief"] != 1 {
		t.Errorf("summary %+v, want 2 texts, 1 warned of grief (the failure is the caller's to count)", sum)
	}
	if _, err := WarnLine(fakeDetector{}, nil)(nil, []byte("1"), "the funeral"); err != nil {
		t.Errorf("without a summary: %v", err)
	}
}

// fakeModerator holds every comment with two overlapping insult spans.
type fakeModerator struct{ forewarn.Moderator }

func (fakeModerator) Decide(post *forewarn.Post, text string) forewarn.Verdict {
	return forewarn.Verdict{
		Decision: forewarn.Hold, Scores: map[string]float64{"insult": 0.9, "threat": 0.1}, Reasons: []string{post.ID},
		Evidence: []forewarn.Evidence{{Label: "insult", Start: 2, End: 6}, {Label: "insult", Start: 0, End: 4}},
	}
}

func TestVerdictLine(t *testing.T) {
	fn := VerdictLine(fakeModerator{}, &forewarn.Post{ID: "p"}, []string{"threat", "insult"})
	b, err := fn(nil, []byte("7"), "you idiot")
	want := `{"id":7,"decision":"hold","scores":{"threat":0.1,"insult":0.9},"reasons":["p"],"evidence":[{"label":"insult","start":0,"end":6}]}`
	if err != nil || string(b) != want {
		t.Errorf("got %s, %v; want %s (scores in the order of names, spans merged)", b, err, want)
	}
}

func TestWriteFileWarning(t *testing.T) {
	var b bytes.Buffer
	w := forewarn.Warning{Line: "Warning: grief.", Topics: []forewarn.Topic{{ID: "grief", Name: "grief", Score: 0.123456}}}
	if err := WriteFileWarning(&b, "a.txt", w); err != nil {
		t.Fatal(err)
	}
	var got struct {
		File   string           `json:"file"`
		Line   string           `json:"line"`
		Topics []forewarn.Topic `json:"topics"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%s: %v", b.Bytes(), err)
	}
	if got.File != "a.txt" || got.Line != w.Line || len(got.Topics) != 1 || got.Topics[0].Score != 0.1235 || got.Topics[0].Evidence == nil {
		t.Errorf("got %+v from %s, want the file, the line and the shown topic (score rounded, evidence [])", got, b.Bytes())
	}
	b.Reset()
	if err := WriteFileWarning(&b, "b.txt", forewarn.Warning{}); err != nil || !strings.Contains(b.String(), `"topics":[]`) {
		t.Errorf("no topics: %s, %v", b.String(), err)
	}
}
