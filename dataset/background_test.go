package dataset

import (
	"errors"
	"reflect"
	"testing"
)

func TestBrownFixture(t *testing.T) {
	const body = `{"doc": "ca01", "genre": "press: reportage", "paragraph": 1, "text": "The jury said Friday."}

{"doc": "cn02", "genre": "fiction: adventure", "paragraph": 7, "text": "He killed time at the dock."}
{"doc": "cn02", "genre": "fiction: adventure", "paragraph": 8, "text": "  "}
`
	got, err := Brown(writeTemp(t, "b.jsonl", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []Passage{
		{ID: "brown-ca01-1", Text: "The jury said Friday.", Domain: "press: reportage", Group: "brown-ca01"},
		{ID: "brown-cn02-7", Text: "He killed time at the dock.", Domain: "fiction: adventure", Group: "brown-cn02"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if !BrownFiction(got[1].Domain) || BrownFiction(got[0].Domain) {
		t.Error("BrownFiction does not tell fiction from reportage")
	}
}

func TestManPagesFixture(t *testing.T) {
	const body = `{"package": "manpages-dev", "page": "kill.2", "section": "2", "heading": "DESCRIPTION", "text": "The kill() system call can be used to send any signal to any process group or process."}
{"package": "manpages-dev", "page": "kill.2", "section": "2", "heading": "NOTES", "text": "A child created via fork(2) inherits a copy of its parent's signal dispositions."}
{"package": "manpages", "page": "proc.5", "section": "5", "heading": "NAME", "text": "proc - process information pseudo-filesystem"}
`
	got, err := ManPages(writeTemp(t, "m.jsonl", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []Passage{
		{ID: "man-kill.2-1", Text: "The kill() system call can be used to send any signal to any process group or process.", Domain: "2", Group: "man-kill.2"},
		{ID: "man-kill.2-2", Text: "A child created via fork(2) inherits a copy of its parent's signal dispositions.", Domain: "2", Group: "man-kill.2"},
		{ID: "man-proc.5-1", Text: "proc - process information pseudo-filesystem", Domain: "5", Group: "man-proc.5"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestAGNewsFixture(t *testing.T) {
	const body = `"3","Fears for T N pension after talks","Unions say they are 'disappointed' after talks with stricken parent firm."
"2","Keane #39;s side dead and buried","The #36;10 million striker&lt;b&gt;finally&lt;/b&gt; scored\again #151; twice."
`
	got, err := AGNews(writeTemp(t, "a.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []Passage{
		{ID: "agnews-1", Text: "Fears for T N pension after talks\n\nUnions say they are 'disappointed' after talks with stricken parent firm.", Domain: "Business", Group: "agnews-1"},
		{ID: "agnews-2", Text: "Keane 's side dead and buried\n\nThe $10 million striker finally scored again — twice.", Domain: "Sports", Group: "agnews-2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestBackgroundBad(t *testing.T) {
	tests := []struct {
		name string
		read func(string) ([]Passage, error)
		body string
	}{
		{"brown not json", Brown, "doc,genre\n"},
		{"brown no genre", Brown, `{"doc": "ca01", "text": "x"}` + "\n"},
		{"man no page", ManPages, `{"section": "2", "text": "x"}` + "\n"},
		{"agnews class 5", AGNews, `"5","t","d"` + "\n"},
		{"agnews two fields", AGNews, `"1","t"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.read(writeTemp(t, "x", tt.body)); !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

// TestHeldOut checks that the split is fixed and keeps about one group in
// HeldOutShare.
func TestHeldOut(t *testing.T) {
	n := 0
	for i := range 10000 {
		g := "group-" + string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('a'+i/260))
		if HeldOut(g) {
			n++
		}
		if HeldOut(g) != HeldOut(g) {
			t.Fatal("HeldOut is not deterministic")
		}
	}
	if n < 10000/HeldOutShare*8/10 || n > 10000/HeldOutShare*12/10 {
		t.Errorf("%d of 10000 held out, want about %d", n, 10000/HeldOutShare)
	}
}

func TestBackgroundReal(t *testing.T) {
	tests := []struct {
		name, rel string
		read      func(string) ([]Passage, error)
		min       int
	}{
		{"brown", "brown/paragraphs.jsonl", Brown, 15000},
		{"debian-manpages", "debian-manpages/manpages_paragraphs.jsonl", ManPages, 25000},
		{"ag-news", "ag-news/test.csv", AGNews, 7600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := tt.read(sharedData(t, tt.rel))
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) < tt.min {
				t.Fatalf("%d passages, want at least %d", len(ps), tt.min)
			}
			held, ids := 0, map[string]bool{}
			for _, p := range ps {
				if ids[p.ID] {
					t.Fatalf("duplicate id %s", p.ID)
				}
				ids[p.ID] = true
				if HeldOut(p.Group) {
					held++
				}
			}
			if held == 0 || held == len(ps) {
				t.Errorf("held out %d of %d", held, len(ps))
			}
		})
	}
}
