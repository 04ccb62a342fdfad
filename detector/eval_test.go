package detector

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/metrics"
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
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	cs, err := EverydayCorpora(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Default()
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
