package comment

import (
	"bytes"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/textseg"
)

func defaultClassifier(t testing.TB) *Classifier {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("embedded model: %v", err)
	}
	return c
}

func TestClassify(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		text      string
		offensive bool
	}{
		{"You are a pathetic idiot and everyone hates you.", true},
		{"What a fucking disgrace, you absolute moron.", true},
		{"Thank you for sharing this, sending you so much love.", false},
		{"The meeting is moved to Thursday at ten.", false},
	}
	for _, tt := range tests {
		res := c.Classify(tt.text)
		got := false
		for _, f := range res.Flagged {
			got = got || f == "offensive"
		}
		if got != tt.offensive {
			t.Errorf("Classify(%q) offensive = %v (scores %v), want %v", tt.text, got, res.Scores, tt.offensive)
		}
		for _, e := range res.Evidence {
			if e.Start < 0 || e.End > len(tt.text) || e.Start >= e.End {
				t.Errorf("evidence %+v out of bounds for %q", e, tt.text)
			}
		}
	}
}

func TestEvidencePointsAtTheInsult(t *testing.T) {
	c := defaultClassifier(t)
	text := "I read your post about the garden. You are a worthless idiot."
	res := c.Classify(text)
	found := false
	for _, e := range res.Evidence {
		if e.Label == "offensive" && bytes.Contains([]byte(text[e.Start:e.End]), []byte("idiot")) {
			found = true
		}
	}
	if !found {
		t.Errorf("no offensive evidence covers %q: %+v", "idiot", res.Evidence)
	}
}

// TestFairness checks that sentences which name an identity without
// attacking it are not flagged hate. A few may cross the threshold; the
// test fails when more than one in ten does, and the eval command reports
// the exact rate per identity.
func TestFairness(t *testing.T) {
	c := defaultClassifier(t)
	flagged := 0
	for _, fc := range FairnessCases {
		res := c.Classify(fc.Text)
		for _, f := range res.Flagged {
			if f == "hate" {
				flagged++
				t.Logf("flagged hate (%s, %s): %q", fc.Identity, fc.Kind, fc.Text)
			}
		}
	}
	if rate := float64(flagged) / float64(len(FairnessCases)); rate > 0.10 {
		t.Errorf("hate false-flag rate %.3f over %d sentences, want <= 0.10", rate, len(FairnessCases))
	}
}

func TestModelRoundTrip(t *testing.T) {
	c := defaultClassifier(t)
	b, err := c.Model().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m, err := linear.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Header, c.Model().Header) || !reflect.DeepEqual(m.W, c.Model().W) {
		t.Fatal("model changed through encode and decode")
	}
}

// TestTrainDeterministic trains twice on the real data with the same seed
// and compares the model bytes.
func TestTrainDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two models; skipped with -short")
	}
	const data = "../../shared/data/"
	if _, err := os.Stat(data + "olid"); err != nil {
		t.Skip("../shared/data is absent: cannot train")
	}
	r := DefaultRecipe
	r.Data = data
	r.Team = "../" + r.Team
	// A small slice of the data keeps the test short: OLID and the
	// team-written comments.
	r.Weights = map[string]float32{"davidson": 0, "implicit-hate": 0, "edos": 0, "stormfront": 0, "toxic-spans": 0, "goemotions": 0, "sdcnl": 0}
	r.Folds = 2
	r.Train.Epochs = 1
	var out [2][]byte
	for i := range out {
		tr, err := Train(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = tr.Model.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Fatal("two trainings with the same data and seed gave different model bytes")
	}
}

func FuzzClassify(f *testing.F) {
	c := defaultClassifier(f)
	for _, s := range []string{"", "you idiot", "f u c k off", "ｆｕｃｋ", "\xff\xfeidiot", "😡😡 loser"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a := c.Classify(text)
		for _, e := range a.Evidence {
			if e.Start < 0 || e.End > len(text) || e.Start >= e.End {
				t.Fatalf("evidence %+v out of bounds", e)
			}
			if utf8.ValidString(text) && (!utf8.RuneStart(text[e.Start]) || e.End < len(text) && !utf8.RuneStart(text[e.End])) {
				t.Fatalf("evidence %+v not on rune boundaries", e)
			}
		}
		if b := c.Classify(text); !reflect.DeepEqual(a, b) {
			t.Fatal("not deterministic")
		}
	})
}

// FuzzExplainTokens checks that ExplainTokens on a text's tokens gives
// what Explain gives on the text: scores, flags and evidence.
func FuzzExplainTokens(f *testing.F) {
	c := defaultClassifier(f)
	for _, s := range []string{"", "you idiot", "shut up, you pathetic clown", "\xff\xfeidiot", "😡😡 loser", "I want it all to stop."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := len(c.Labels())
		want, got := make([]float64, n), make([]float64, n)
		wf, wev := c.Explain(text, want, nil)
		gf, gev := c.ExplainTokens(text, textseg.Tokens(text), got, nil)
		if wf != gf || !reflect.DeepEqual(want, got) || !reflect.DeepEqual(wev, gev) {
			t.Fatalf("ExplainTokens %b %v %v, Explain %b %v %v", gf, got, gev, wf, want, wev)
		}
	})
}

func BenchmarkExplain(b *testing.B) {
	c := defaultClassifier(b)
	text := "@USER @USER Go home you’re drunk!!! This is the stupidest thing I have ever read, what a clown. #MAGA URL"
	probs := make([]float64, len(c.Labels()))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c.Explain(text, probs, nil)
	}
}

// BenchmarkMargins measures the scoring passes over a short comment's
// features, without feature extraction: the linear model's eight heads,
// the network's for the heads it is blended into, and both in the one
// pass over the fused table that Classifier uses.
func BenchmarkMargins(b *testing.B) {
	c := defaultClassifier(b)
	text := "@USER @USER Go home you’re drunk!!! This is the stupidest thing I have ever read, what a clown. #MAGA URL"
	ex, _ := features.NewExtractor(c.Model().Features)
	feats, _ := ex.Extract(nil, text)
	b.Run("linear", func(b *testing.B) {
		z := make([]float64, len(c.Labels()))
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			c.Model().Margins(feats, z)
		}
	})
	if c.Net() == nil {
		return
	}
	b.Run("net", func(b *testing.B) {
		s := c.Net().NewScratch()
		z := make([]float64, len(c.Net().Labels))
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			c.Net().Margins(feats, s, z)
		}
	})
	if c.fused == nil {
		return
	}
	b.Run("fused", func(b *testing.B) {
		s := c.Net().NewScratch()
		z, nz := make([]float64, len(c.Labels())), make([]float64, len(c.Net().Labels))
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			c.fused.margins(c.Model(), c.Net(), s, feats, z, nz)
		}
	})
}
