package comment

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/forewarn/forewarn/dataset"
)

func TestKindComment(t *testing.T) {
	y := func(names ...string) []int8 {
		v := make([]int8, len(dataset.GoEmotionsLabels))
		for _, n := range names {
			v[slices.Index(dataset.GoEmotionsLabels, n)] = 1
		}
		return v
	}
	for _, c := range []struct {
		names []string
		want  bool
	}{
		{[]string{"grief"}, true},
		{[]string{"caring", "sadness"}, true},
		{[]string{"sadness", "anger"}, false},
		{[]string{"neutral"}, false},
		{[]string{"amusement"}, false},
	} {
		if got := KindComment(y(c.names...)); got != c.want {
			t.Errorf("KindComment(%v) = %v, want %v", c.names, got, c.want)
		}
	}
}

func TestTeamLabels(t *testing.T) {
	for _, c := range []struct {
		c    TeamComment
		head int
		want int8
	}{
		{TeamComment{Situation: "mocking-grief", Decision: "hold"}, lIns, 1},
		{TeamComment{Situation: "threat", Decision: "hold"}, lThr, 1},
		{TeamComment{Situation: "risk", Decision: "support"}, lSH, 1},
		{TeamComment{Situation: "not-risk", Decision: "publish"}, lSH, 0},
		{TeamComment{Situation: "kind", Decision: "publish"}, lIns, 0},
		{TeamComment{Situation: "kind", Decision: "publish"}, lProf, u},
	} {
		if got := c.c.labels()[c.head]; got != c.want {
			t.Errorf("%+v: %s = %d, want %d", c.c, Labels[c.head], got, c.want)
		}
	}
}

func TestReadTeam(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.jsonl")
	os.WriteFile(p, []byte(`{"situation":"kind","post":"grief","decision":"publish","text":"So sorry."}`+"\n\n"), 0o644)
	got, err := ReadTeam(p)
	want := []TeamComment{{Situation: "kind", Post: "grief", Decision: "publish", Text: "So sorry."}}
	if err != nil || !reflect.DeepEqual(got, want) || !got[0].SensitivePost() {
		t.Errorf("ReadTeam = %+v, %v", got, err)
	}
	os.WriteFile(p, []byte(`{"text": ""}`+"\n"), 0o644)
	if _, err := ReadTeam(p); !errors.Is(err, dataset.ErrFormat) {
		t.Errorf("empty text: err = %v", err)
	}
}

// TestTeamFiles checks the project's team-written comments: every line
// parses, and no comment is in both the training and the frozen test part.
func TestTeamFiles(t *testing.T) {
	train, err := ReadTeam("../data/comments/train.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	test, err := ReadTeam("../data/comments/test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range train {
		seen[c.Text] = true
	}
	for _, c := range test {
		if seen[c.Text] {
			t.Errorf("%q is in both parts", c.Text)
		}
		switch c.Decision {
		case "publish", "hold", "support":
		default:
			t.Errorf("%q: decision %q", c.Text, c.Decision)
		}
	}
	if len(train) == 0 || len(test) == 0 {
		t.Errorf("%d training and %d test comments", len(train), len(test))
	}
}

func TestRemap(t *testing.T) {
	got := Remap([]dataset.Text{{ID: "a", Y: []int8{1, 0, u}}}, dataset.CommentLabels, Labels)
	want := []int8{1, 0, u, u, u, u, u, u}
	if !reflect.DeepEqual(got[0].Y, want) {
		t.Errorf("Remap = %v, want %v", got[0].Y, want)
	}
}
