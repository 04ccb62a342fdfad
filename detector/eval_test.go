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

// TestTopicsReal holds the shipped detector's F1 on the held-out test
// splits (TopicSets) above floors: on the public splits the F1 of the
// detector before the model decided (docs/warnings.md; the bar is
// to beat it), on the frozen test part of the team's labels of held-out
// news stories (data/news) 0.7, which the model before the news labels
// missed (F1 0.024 for violence), and on the EDOS test split 0.5 for
// sexism, which the model before it learned from EDOS missed (0.053).
func TestTopicsReal(t *testing.T) {
	dir, d := realData(t)
	sets, err := TopicSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Topics(context.Background(), d, sets)
	if err != nil {
		t.Fatal(err)
	}
	news := "ag-news World held out (team-labelled)"
	floors := map[[2]string]float64{
		{"dreaddit test", "domestic-abuse"}:  0.195,
		{"dreaddit test", "mental-illness"}:  0.627,
		{"dreaddit test", "sexual-violence"}: 0.108,
		{"sdcnl test", "suicide"}:            0.608,
		{"goemotions test", "grief"}:         0.001,
		{"edos test", "sexism"}:              0.5,
		{news, "violence"}:                   0.7,
		{news, "war"}:                        0.7,
		{news, "death"}:                      0.7,
		{news, "kidnapping"}:                 0.7,
	}
	seen := 0
	for _, r := range rows {
		floor, ok := floors[[2]string{r.Set, r.Topic}]
		if !ok {
			continue
		}
		seen++
		f1 := metrics.F1.Of(r.Counts)
		t.Logf("%s, %s: F1 %.3f (%+v)", r.Set, r.Topic, f1, r.Counts)
		if f1 < floor {
			t.Errorf("%s, %s: F1 %.3f, want at least %.3f", r.Set, r.Topic, f1, floor)
		}
	}
	if seen != len(floors) {
		t.Errorf("%d of %d floors met a row: a set or topic was renamed", seen, len(floors))
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
