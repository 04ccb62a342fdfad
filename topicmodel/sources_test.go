package topicmodel

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/forewarn/forewarn/data/news"
	"github.com/forewarn/forewarn/dataset"
)

func TestNewsLabels(t *testing.T) {
	good := `{"id": "agnews-1", "violence": 1, "war": 0, "death": 1, "kidnapping": 0}` + "\n\n" +
		`{"id": "agnews-2", "violence": 0, "war": 0, "death": 0, "kidnapping": 0}`
	got, err := NewsLabels([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"violence": true, "war": false, "death": true, "kidnapping": false}
	if len(got) != 2 || !maps.Equal(got["agnews-1"], want) {
		t.Errorf("labels %v, want agnews-1 %v and agnews-2", got, want)
	}
	bad := []string{
		`{"id": "x", "violence": 1, "war": 0, "death": 1}`,
		`{"id": "x", "violence": 2, "war": 0, "death": 1, "kidnapping": 0}`,
		`{"id": "x", "violence": 1, "war": 0, "death": 1, "kidnapping": 0, "text": "no text here"}`,
		`{"violence": 1, "war": 0, "death": 1, "kidnapping": 0}`,
		`{"id": "x", "violence": 0, "war": 0, "death": 0, "kidnapping": 0}` + "\n" + `{"id": "x", "violence": 0, "war": 0, "death": 0, "kidnapping": 0}`,
		`not json`,
	}
	for _, b := range bad {
		if _, err := NewsLabels([]byte(b)); !errors.Is(err, dataset.ErrFormat) {
			t.Errorf("%q: error %v, want ErrFormat", b, err)
		}
	}
}

// TestNewsEmbedded checks the embedded labels: both parts read, and no
// story is in both.
func TestNewsEmbedded(t *testing.T) {
	train, err := NewsLabels(news.Train)
	if err != nil {
		t.Fatal(err)
	}
	test, err := NewsLabels(news.Test)
	if err != nil {
		t.Fatal(err)
	}
	if len(train) == 0 || len(test) == 0 {
		t.Fatalf("%d training and %d test labels", len(train), len(test))
	}
	for id := range test {
		if _, ok := train[id]; ok {
			t.Errorf("%s is in both parts", id)
		}
	}
}

// TestNewsDocs checks that only the labelled stories among the mixed
// background documents become news documents, with their labels, and
// that the others stay as they were.
func TestNewsDocs(t *testing.T) {
	mixed, clean := EverydayDocs(nil, nil, []dataset.Passage{
		{ID: "agnews-1", Text: "Gunmen opened fire.", Domain: "World", Group: "agnews-1"},
		{ID: "agnews-2", Text: "Talks resume.", Domain: "World", Group: "agnews-2"},
		{ID: "agnews-3", Text: "A late goal.", Domain: "Sports", Group: "agnews-3"},
	})
	labels := map[string]map[string]bool{
		"agnews-1": {"violence": true, "war": false, "death": true, "kidnapping": false},
		"agnews-3": {"violence": true, "war": true, "death": true, "kidnapping": true},
	}
	for _, id := range []string{"agnews-1", "agnews-2", "agnews-3"} {
		if dataset.HeldOut(id) {
			t.Skipf("%s is held out; pick ids of the training part", id)
		}
	}
	docs, rest := NewsDocs(mixed, labels)
	if len(docs) != 1 || docs[0].Text != "Gunmen opened fire." || docs[0].Source != News {
		t.Fatalf("docs %+v, want the one labelled World story", docs)
	}
	for l, name := range Labels {
		want := dataset.Unknown
		if y, ok := labels["agnews-1"][name]; ok {
			want = 0
			if y {
				want = 1
			}
		}
		if docs[0].Y[l] != want {
			t.Errorf("%s = %d, want %d", name, docs[0].Y[l], want)
		}
	}
	if len(rest) != 1 || rest[0].Text != "Talks resume." || rest[0].Source != Everyday || slices.Contains(rest[0].Y, 1) {
		t.Errorf("rest %+v, want the unlabelled World story as it was", rest)
	}
	if len(clean) != 1 || slices.Contains(clean[0].Y, 1) {
		t.Errorf("clean %+v, want the sports story, negative for every label", clean)
	}
}

// TestEDOSDocs checks that only the training split of EDOS trains, each
// post positive or negative for sexism alone.
func TestEDOSDocs(t *testing.T) {
	posts := []dataset.EDOSPost{
		{Text: dataset.Text{ID: "a", Text: "sexist post", Y: []int8{1, 0}}, Split: "train"},
		{Text: dataset.Text{ID: "b", Text: "ordinary post", Y: []int8{0, 0}}, Split: "train"},
		{Text: dataset.Text{ID: "c", Text: "dev post", Y: []int8{1, 1}}, Split: "dev"},
		{Text: dataset.Text{ID: "d", Text: "test post", Y: []int8{1, 0}}, Split: "test"},
	}
	docs := EDOSDocs(posts)
	if len(docs) != 2 {
		t.Fatalf("%d documents, want the 2 of the training split", len(docs))
	}
	sx := slices.Index(Labels, "sexism")
	for i, want := range []int8{1, 0} {
		d := docs[i]
		if d.Source != EDOS || d.Y[sx] != want {
			t.Errorf("%q: source %v, sexism %d, want EDOS and %d", d.Text, d.Source, d.Y[sx], want)
		}
		for l, y := range d.Y {
			if l != sx && y != dataset.Unknown {
				t.Errorf("%q: %s = %d, want Unknown", d.Text, Labels[l], y)
			}
		}
	}
}
