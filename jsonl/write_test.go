package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
)

// encodeJSON is what encoding/json writes for v with HTML escaping off,
// without the newline.
func encodeJSON(t testing.TB, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "tab\t nl\n cr\r bs\b ff\f bell\a nul\x00", "é — “x” \u2028\u2029", "bad \xff\xfe utf8", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendString(nil, s)), encodeJSON(t, s); got != want {
			t.Fatalf("AppendString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

// TestEvidenceOneOrder checks that every output writes evidence in the
// field order of forewarn.Evidence, as encoding/json writes the struct.
func TestEvidenceOneOrder(t *testing.T) {
	ev := []forewarn.Evidence{{Label: "insult", Start: 10, End: 18}, {Start: 1, End: 2}}
	want := encodeJSON(t, ev)
	if got := string(AppendEvidence(nil, ev)); got != want {
		t.Fatalf("AppendEvidence = %s, want %s", got, want)
	}
	v := forewarn.Verdict{Decision: forewarn.Hold, Scores: map[string]float64{"insult": 0.98765}, Reasons: []string{"r"}, Evidence: ev[:1]}
	for name, line := range map[string]string{
		"score":    string(AppendScored(nil, []byte("1"), []string{"insult"}, []float64{0.98765}, 1, ev[:1])),
		"moderate": string(AppendVerdict(nil, []byte("1"), []string{"insult"}, v)),
	} {
		if !strings.Contains(line, `"evidence":[{"label":"insult","start":10,"end":18}]`) {
			t.Errorf("%s: %s", name, line)
		}
		if !json.Valid([]byte(line)) {
			t.Errorf("%s: not JSON: %s", name, line)
		}
	}
}

// TestAppendWarning compares the warn --jsonl line with encoding/json on
// the same fields.
func TestAppendWarning(t *testing.T) {
	w := forewarn.Warning{Line: "Warning: grief.", Topics: []forewarn.Topic{{ID: "grief", Name: "grief", Score: 0.123456, Prominence: forewarn.Mention,
		Evidence: []forewarn.TopicEvidence{{Start: 1, End: 5, SentenceStart: 0, SentenceEnd: 9}}}}}
	type topic struct {
		ID         string              `json:"id"`
		Name       string              `json:"name"`
		Score      float64             `json:"score"`
		Prominence forewarn.Prominence `json:"prominence"`
		Evidence   []forewarn.Span     `json:"evidence"`
	}
	want := encodeJSON(t, struct {
		ID     json.RawMessage `json:"id"`
		Line   string          `json:"line"`
		Topics []topic         `json:"topics"`
	}{json.RawMessage(`"a"`), w.Line, []topic{{"grief", "grief", 0.1235, forewarn.Mention, []forewarn.Span{{Start: 1, End: 5}}}}})
	if got := string(AppendWarning(nil, []byte(`"a"`), w)); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := string(AppendWarning(nil, []byte("2"), forewarn.Warning{})); got != `{"id":2,"line":"","topics":[]}` {
		t.Fatalf("empty warning: %s", got)
	}
}

// TestMap checks that every input line gets one output line in order, a
// failing function an error line with the line number, and the count.
func TestMap(t *testing.T) {
	in := `{"id": 1, "text": "a"}` + "\n" + `{"id": 2, "text": "boom"}` + "\n" + `nope` + "\n" + `{"id": "x", "text": "b"}`
	var out bytes.Buffer
	failed, err := Map(context.Background(), strings.NewReader(in), &out, 0, func(b, id []byte, text string) ([]byte, error) {
		if text == "boom" {
			return nil, errors.New("it broke")
		}
		return AppendString(append(b, id...), text), nil
	})
	want := `1"a"
{"id":2,"error":"it broke","line_number":2}
{"id":null,"error":"invalid JSON: invalid character 'o' in literal null (expecting 'u')","line_number":3}
"x""b"
`
	if err != nil || failed != 2 || out.String() != want {
		t.Fatalf("failed %d, err %v, out:\n%s", failed, err, out.String())
	}
}

func BenchmarkAppendScored(b *testing.B) {
	labels := []string{"offensive", "targeted", "insult", "hate", "sexism", "threat", "profanity", "self_harm"}
	probs := []float64{0.9, 0.8, 0.7, 0.01, 0.02, 0.03, 0.04, 0.0001}
	ev := []forewarn.Evidence{{Label: "insult", Start: 10, End: 18}, {Label: "offensive", Start: 24, End: 29}}
	buf := AppendScored(nil, []byte("1"), labels, probs, 7, ev)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		buf = AppendScored(buf[:0], []byte("1"), labels, probs, 7, ev)
	}
}
