package moderate_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/moderate"
)

// TestEvaluateModerationReal runs the moderation evaluation on the public
// test splits and checks the figures the embedded models must keep: the
// toxic-spans span F1 and the share of kind, sad or grieving GoEmotions
// comments held or sent to support under a sensitive post.
func TestEvaluateModerationReal(t *testing.T) {
	const data = "../../shared/data"
	if _, err := os.Stat(data + "/goemotions"); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	if testing.Short() {
		t.Skip("scores every test split; skipped with -short")
	}
	r, err := moderate.EvaluateModeration(newModerator(t), data, "../data/comments/test.jsonl", "../data/selfharm/test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if r.SpanTexts != 2000 || r.SpanF1 < 0.60 {
		t.Errorf("span F1 %.4f over %d texts, want >= 0.60 over 2000", r.SpanF1, r.SpanTexts)
	}
	kind := 0
	for _, d := range r.Decisions {
		if d.Post != "sensitive" || !strings.HasPrefix(d.Set, "GoEmotions test, kind") {
			continue
		}
		kind++
		if held, sup := float64(d.Hold)/float64(d.N), float64(d.Support)/float64(d.N); held > 0.03 || sup > 0.01 {
			t.Errorf("%s: %.3f held, %.3f support; want <= 0.03 and <= 0.01", d.Set, held, sup)
		}
	}
	if kind != 1 {
		t.Errorf("%d GoEmotions rows under a sensitive post, want 1", kind)
	}
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"EDOS test", "OLID test A", "OLID test B", "SDCNL test", "C-SSRS hash test", "span F1", "GoEmotions test", "team-written", "team-written self-harm"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report has no %q:\n%s", want, b.String())
		}
	}
}
