package dataset

import (
	"errors"
	"reflect"
	"testing"
)

func TestGoEmotionsFixture(t *testing.T) {
	body := "So sorry for your loss.\t16,25\tc1\n" +
		"\"Quoted\" and    spaced\t27\tc2\n"
	got, err := GoEmotions(writeTemp(t, "g.tsv", body))
	if err != nil {
		t.Fatal(err)
	}
	grief, sad := make([]int8, 28), make([]int8, 28)
	grief[16], grief[25] = 1, 1
	sad[27] = 1
	want := []Text{
		{ID: "goemotions-c1", Text: "So sorry for your loss.", Y: grief},
		{ID: "goemotions-c2", Text: `"Quoted" and    spaced`, Y: sad},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestGoEmotionsBad(t *testing.T) {
	tests := []struct{ name, body string }{
		{"two fields", "text\t1\n"},
		{"id out of range", "text\t28\tc\n"},
		{"not a number", "text\tx\tc\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := GoEmotions(writeTemp(t, "g.tsv", tt.body)); !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

func TestGoEmotionsReal(t *testing.T) {
	for _, c := range []struct {
		name string
		rows int
	}{{"train.tsv", 43409}, {"dev.tsv", 5424}, {"test.tsv", 5427}} {
		t.Run(c.name, func(t *testing.T) {
			texts, err := GoEmotions(sharedData(t, "goemotions/"+c.name))
			if err != nil {
				t.Fatal(err)
			}
			if len(texts) != c.rows {
				t.Fatalf("%d texts, want %d", len(texts), c.rows)
			}
			pos := make([]int, len(GoEmotionsLabels))
			for _, x := range texts {
				for l, y := range x.Y {
					pos[l] += int(y)
				}
			}
			for l, n := range pos {
				if n == 0 {
					t.Errorf("no texts for %s", GoEmotionsLabels[l])
				}
			}
		})
	}
}
