package dataset

import (
	"errors"
	"reflect"
	"testing"
)

func TestDreadditFixture(t *testing.T) {
	const body = `subreddit,post_id,sentence_range,text,id,label
domesticviolence,p1,"(0, 5)","He threw the plate, then said sorry.",7,1
survivorsofabuse,p2,"(0, 3)",It took me years to say it out loud.,8,1
anxiety,p3,"(2, 6)","My heart races before every call ""for no reason"".",9,0
food_pantry,p4,"(0, 2)",Does anyone know the opening hours?,10,0
`
	got, err := Dreaddit(writeTemp(t, "d.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	u := Unknown
	want := []Text{
		{ID: "dreaddit-7", Text: "He threw the plate, then said sorry.", Y: []int8{1, u, u}, Group: "post-p1"},
		{ID: "dreaddit-8", Text: "It took me years to say it out loud.", Y: []int8{u, 1, u}, Group: "post-p2"},
		{ID: "dreaddit-9", Text: `My heart races before every call "for no reason".`, Y: []int8{0, 0, 1}, Group: "post-p3"},
		{ID: "dreaddit-10", Text: "Does anyone know the opening hours?", Y: []int8{0, 0, 0}, Group: "post-p4"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDreadditBad(t *testing.T) {
	tests := []struct{ name, body string }{
		{"no text column", "subreddit,post_id\nptsd,p1\n"},
		{"unknown subreddit", "subreddit,text\ncooking,nice soup\n"},
		{"short record", "subreddit,text,id\nptsd,x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Dreaddit(writeTemp(t, "d.csv", tt.body)); !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

func TestDreadditReal(t *testing.T) {
	for _, name := range []string{"dreaddit-train.csv", "dreaddit-test.csv"} {
		t.Run(name, func(t *testing.T) {
			texts, err := Dreaddit(sharedData(t, "dreaddit/"+name))
			if err != nil {
				t.Fatal(err)
			}
			if len(texts) < 700 {
				t.Fatalf("%d texts, want the whole file", len(texts))
			}
			pos := make([]int, len(DreadditTopics))
			for _, x := range texts {
				for l, y := range x.Y {
					if y == 1 {
						pos[l]++
					}
				}
			}
			for l, n := range pos {
				if n == 0 {
					t.Errorf("no texts for %s", DreadditTopics[l])
				}
			}
		})
	}
}
