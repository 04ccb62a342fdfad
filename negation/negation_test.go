package negation

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	w := Words()
	for _, want := range []struct {
		word string
		in   bool
	}{
		{"not", true}, {"didn't", true}, {"didnt", true}, {"nobody", true},
		{"can't", false}, {"cannot", false}, {"free", false}, {"", false},
	} {
		if got := slices.Contains(w, want.word); got != want.in {
			t.Errorf("Words() contains %q: %v, want %v", want.word, got, want.in)
		}
	}
	w[0] = "changed"
	if Words()[0] != "not" {
		t.Error("Words returned the package's own slice")
	}
}
