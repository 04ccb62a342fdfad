package dataset

import (
	"errors"
	"reflect"
	"testing"
)

func TestCAMSFixture(t *testing.T) {
	u := Unknown
	tests := []struct {
		name, body string
		want       []Text
	}{
		{"intent", "selftext,ANNOTATIONS,Interpretations\n\"Lost my job, again.\",2,job\nNo idea,,\n", []Text{
			{ID: "cams-2", Text: "Lost my job, again.", Y: []int8{0, 0, 1, 0, 0, 0}, Group: PostGroup("Lost my job, again.")},
			{ID: "cams-3", Text: "No idea", Y: []int8{u, u, u, u, u, u}, Group: PostGroup("No idea")},
		}},
		{"added", "selftext,cause,inference\n  Nobody talks to me  ,5,alone\n", []Text{
			{ID: "cams-2", Text: "Nobody talks to me", Y: []int8{0, 0, 0, 0, 0, 1}, Group: PostGroup("nobody talks to me")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CAMS(writeTemp(t, "c.csv", tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCAMSBad(t *testing.T) {
	tests := []struct{ name, body string }{
		{"no class column", "selftext,other\na,1\n"},
		{"class out of range", "selftext,cause\na,6\n"},
		{"no selftext", "text,cause\na,1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := CAMS(writeTemp(t, "c.csv", tt.body)); !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

// TestCAMSReal reads every CAMS file and checks that its SDCNL posts keep
// the SDCNL split: no test post of one is a training post of the other.
func TestCAMSReal(t *testing.T) {
	groups := func(texts []Text) map[string]bool {
		m := map[string]bool{}
		for _, x := range texts {
			m[x.Group] = true
		}
		return m
	}
	read := func(f func(string) ([]Text, error), rel string, rows int) map[string]bool {
		t.Helper()
		texts, err := f(sharedData(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		if len(texts) != rows {
			t.Fatalf("%s: %d texts, want %d", rel, len(texts), rows)
		}
		return groups(texts)
	}
	read(CAMS, "cams/cams_added.csv", 3155)
	camsTrain := read(CAMS, "cams/intent_sdcnl_train.csv", 1461)
	camsTest := read(CAMS, "cams/intent_sdcnl_test.csv", 370)
	sdTrain := read(SDCNL, "sdcnl/train.csv", 1516)
	sdTest := read(SDCNL, "sdcnl/test.csv", 379)
	same := 0
	for g := range camsTest {
		if sdTrain[g] {
			t.Errorf("CAMS test post %s is an SDCNL training post", g)
		}
		if sdTest[g] {
			same++
		}
	}
	for g := range camsTrain {
		if sdTest[g] {
			t.Errorf("CAMS training post %s is an SDCNL test post", g)
		}
	}
	if same < len(camsTest)/2 {
		t.Errorf("only %d of %d CAMS test posts found in SDCNL test", same, len(camsTest))
	}
}
