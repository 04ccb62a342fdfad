package dataset

import (
	"errors"
	"reflect"
	"testing"
)

func TestSDCNLFixture(t *testing.T) {
	const body = `orig_index,title,selftext,is_suicide,url
12,Tired,"I can't  do this
anymore.",1,u
13,Rough week,,0,u
`
	got, err := SDCNL(writeTemp(t, "s.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []Text{
		{ID: "sdcnl-12", Text: "Tired\n\nI can't  do this\nanymore.", Y: []int8{1}, Group: PostGroup("i CAN'T do this anymore.")},
		{ID: "sdcnl-13", Text: "Rough week", Y: []int8{0}, Group: PostGroup("")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestSDCNLBad(t *testing.T) {
	tests := []struct{ name, body string }{
		{"no label column", "title,selftext\na,b\n"},
		{"label not 0 or 1", "title,selftext,is_suicide\na,b,2\n"},
		{"short record", "title,selftext,is_suicide\na\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := SDCNL(writeTemp(t, "s.csv", tt.body)); !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

func TestSDCNLReal(t *testing.T) {
	for _, c := range []struct {
		name     string
		rows, up int
	}{{"train.csv", 1516, 787}, {"test.csv", 379, 193}} {
		t.Run(c.name, func(t *testing.T) {
			texts, err := SDCNL(sharedData(t, "sdcnl/"+c.name))
			if err != nil {
				t.Fatal(err)
			}
			pos := 0
			for _, x := range texts {
				pos += int(x.Y[0])
			}
			if len(texts) != c.rows || pos != c.up {
				t.Errorf("%d texts, %d suicide; want %d, %d", len(texts), pos, c.rows, c.up)
			}
		})
	}
}
