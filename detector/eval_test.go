package detector

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/topicmodel"
	"github.com/forewarn/forewarn/warn"
)

func TestEverydayAndTopics(t *testing.T) {
	d, err := warn.New(warn.Options{}) // the lexicon alone: predictable
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Everyday(context.Background(), d, []Corpus{{Name: "x", Texts: []string{
		"We planted tulips along the fence.",
		"He overdosed on heroin in the car park.",
		"The soup was cold.",
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Texts != 3 || rows[0].Warned != 1 || rows[0].ByTopic["drug-use"] != 1 {
		t.Errorf("everyday rows %+v", rows)
	}
	var buf bytes.Buffer
	if err := PrintEveryday(&buf, rows); err != nil || !strings.Contains(buf.String(), "| x | 3 | 1 | 33.3% | drug-use 1 |") {
		t.Errorf("everyday table %q (%v)", buf.String(), err)
	}
	trows, err := Topics(context.Background(), d, []TopicSet{{Name: "s", Texts: []Labelled{
		{Text: "He overdosed on heroin in the car park.", Y: map[string]bool{"drug-use": true}},
		{Text: "The weekend was quiet at home.", Y: map[string]bool{"drug-use": true}},
		{Text: "The soup was cold.", Y: map[string]bool{"drug-use": false}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	want := metrics.Confusion{TP: 1, FN: 1, TN: 1}
	if len(trows) != 1 || trows[0].Topic != "drug-use" || trows[0].Counts != want {
		t.Errorf("topic rows %+v, want counts %+v", trows, want)
	}
}

// TestEverydayReal holds the shipped detector to the everyday targets on
// the held-out part of the background corpora: at most 2% of man-page
// paragraphs and 5% of Brown paragraphs outside fiction and reportage get
// any warning.
func TestEverydayReal(t *testing.T) {
	dir, d := realData(t)
	cs, err := EverydayCorpora(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Everyday(context.Background(), d, cs)
	if err != nil {
		t.Fatal(err)
	}
	limits := map[string]float64{"debian-manpages": 0.02, "brown (not fiction or reportage)": 0.05}
	for _, r := range rows {
		t.Logf("%s: %d of %d (%.1f%%)", r.Corpus, r.Warned, r.Texts, 100*r.Share())
		if lim, ok := limits[r.Corpus]; ok && r.Share() > lim {
			t.Errorf("%s: %.1f%% of held-out texts warned, want at most %.0f%%", r.Corpus, 100*r.Share(), 100*lim)
		}
	}
}

// TestNewsReal holds the shipped detector to what it finds in news: on
// the frozen test part of the team's labels of held-out AG News World
// stories (data/news), each topic's F1 stays at least 0.7. The embedded
// model gives 0.773 to 0.923; the detector before it learned from news
// gave 0.024 (violence) to 0.667 (kidnapping), the lexicon alone 0.500
// (war) to 0.902 (kidnapping).
func TestNewsReal(t *testing.T) {
	dir, d := realData(t)
	s, err := newsSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Topics(context.Background(), d, []TopicSet{s})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(topicmodel.NewsTopics) {
		t.Fatalf("%d rows, want one per topic of %v", len(rows), topicmodel.NewsTopics)
	}
	for _, r := range rows {
		f1 := metrics.F1.Of(r.Counts)
		t.Logf("%s: F1 %.3f (%+v)", r.Topic, f1, r.Counts)
		if f1 < 0.7 {
			t.Errorf("%s: F1 %.3f on held-out news stories, want at least 0.7", r.Topic, f1)
		}
	}
}

// realData returns the public datasets' folder next to the module and
// the shipped detector, or skips the test when the data is not there.
func realData(t *testing.T) (string, *warn.Detector) {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return dir, d
}

// TestFoldModel checks that a fold model is trained once into the cache
// and then read back as the same bytes, and that another recipe is
// another file.
func TestFoldModel(t *testing.T) {
	var ps []dataset.WebisPassage
	for i := range 160 {
		w := i % len(dataset.WebisWarnings)
		y := make([]int8, len(dataset.WebisWarnings))
		for k := range y {
			y[k] = dataset.Unknown
		}
		text := "gardens picnic sunny afternoon"
		if y[w] = int8(i / len(dataset.WebisWarnings) % 2); y[w] == 1 {
			text = "punched kicked bleeding tanks"
		}
		ps = append(ps, dataset.WebisPassage{Text: dataset.Text{ID: fmt.Sprint(i), Text: text, Y: y, Group: fmt.Sprint("work-", i)}, Yes: int(y[w]), Votes: 1})
	}
	docs := topicmodel.WebisDocs(ps)
	cfg := topicmodel.DefaultConfig
	cfg.Features.Buckets = 1 << 10
	dir := t.TempDir()
	bytesOf := func(cfg topicmodel.Config) []byte {
		t.Helper()
		m, err := FoldModel(docs, cfg, dir)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := bytesOf(cfg)
	files, _ := filepath.Glob(filepath.Join(dir, "*.fwm"))
	if len(files) != 1 {
		t.Fatalf("%d cached files, want 1", len(files))
	}
	// A marked copy in the cache is what comes back: nothing retrains.
	m, err := linear.Decode(first)
	if err != nil {
		t.Fatal(err)
	}
	m.Notes["marker"] = "cached"
	marked, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files[0], marked, 0o644); err != nil {
		t.Fatal(err)
	}
	if again := bytesOf(cfg); !bytes.Equal(again, marked) {
		t.Error("the cached model was not read back")
	}
	cfg.Train.Epochs++
	bytesOf(cfg)
	if files, _ = filepath.Glob(filepath.Join(dir, "*.fwm")); len(files) != 2 {
		t.Errorf("%d cached files after a second recipe, want 2", len(files))
	}
}
