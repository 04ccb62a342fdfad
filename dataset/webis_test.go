package dataset

import (
	"errors"
	"reflect"
	"testing"
)

func TestWebisFixture(t *testing.T) {
	const body = `{"warning": "war", "labels": [0, 1, 0], "text": "The shelling went on all night.", "work_id": "11", "example_id": 1, "set_id": 0}
{"warning": "ableism", "labels": [0, 0, 0], "text": "They planted tomatoes.", "work_id": 12, "example_id": 2, "set_id": 1}

{"warning": "violence", "labels": [1, 1, 1], "text": "He struck the guard.", "work_id": "11", "example_id": 3, "set_id": 0}
`
	got, err := WebisPassages(writeTemp(t, "w.jsonl", body))
	if err != nil {
		t.Fatal(err)
	}
	u := Unknown
	want := []WebisPassage{
		{Text{ID: "webis-1", Text: "The shelling went on all night.", Y: []int8{u, 1, u, u, u, u, u, u}, Group: "work-11"}, 1, 3},
		{Text{ID: "webis-2", Text: "They planted tomatoes.", Y: []int8{u, u, u, u, u, u, u, 0}, Group: "work-12"}, 0, 3},
		{Text{ID: "webis-3", Text: "He struck the guard.", Y: []int8{1, u, u, u, u, u, u, u}, Group: "work-11"}, 3, 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestWebisBad(t *testing.T) {
	tests := []struct{ name, body string }{
		{"not json", "{\n"},
		{"unknown warning", `{"warning": "weather", "labels": [1], "text": "x", "work_id": "1"}` + "\n"},
		{"no votes", `{"warning": "war", "labels": [], "text": "x", "work_id": "1"}` + "\n"},
		{"bad vote", `{"warning": "war", "labels": [2], "text": "x", "work_id": "1"}` + "\n"},
		{"no work", `{"warning": "war", "labels": [1], "text": "x"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := WebisPassages(writeTemp(t, "w.jsonl", tt.body))
			if !errors.Is(err, ErrFormat) {
				t.Errorf("err = %v, want ErrFormat", err)
			}
		})
	}
}

func TestWebisReal(t *testing.T) {
	texts, err := WebisPassages(sharedData(t, "webis-passages/train.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 2000 {
		t.Fatalf("%d passages, want the whole training file", len(texts))
	}
	per := make([][2]int, len(WebisWarnings))
	for _, x := range texts {
		known := 0
		for w, y := range x.Y {
			if y != Unknown {
				known++
				per[w][y]++
			}
		}
		if known != 1 || x.Group == "" || x.Text.Text == "" || x.Votes != 3 || x.Yes > x.Votes {
			t.Fatalf("%s: %d known labels, group %q", x.ID, known, x.Group)
		}
	}
	for w, c := range per {
		if c[0] == 0 || c[1] == 0 {
			t.Errorf("%s: %d negative and %d positive passages, want both", WebisWarnings[w], c[0], c[1])
		}
	}
}
