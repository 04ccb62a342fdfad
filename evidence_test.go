package forewarn

import (
	"reflect"
	"testing"
)

func TestMergeEvidence(t *testing.T) {
	ev := func(label string, start, end int) Evidence { return Evidence{Label: label, Start: start, End: end} }
	tests := []struct {
		name string
		in   []Evidence
		max  int
		want []Evidence
	}{
		{"empty", nil, 5, nil},
		{"apart", []Evidence{ev("a", 10, 12), ev("a", 0, 3)}, 5, []Evidence{ev("a", 0, 3), ev("a", 10, 12)}},
		{"overlap", []Evidence{ev("a", 0, 5), ev("a", 3, 8)}, 5, []Evidence{ev("a", 0, 8)}},
		{"touch", []Evidence{ev("a", 0, 5), ev("a", 5, 8)}, 5, []Evidence{ev("a", 0, 8)}},
		{"inside", []Evidence{ev("a", 0, 9), ev("a", 2, 4)}, 5, []Evidence{ev("a", 0, 9)}},
		{"other label kept", []Evidence{ev("a", 0, 5), ev("b", 3, 8)}, 5, []Evidence{ev("a", 0, 5), ev("b", 3, 8)}},
		{"capped to the first", []Evidence{ev("a", 20, 21), ev("a", 0, 1), ev("a", 10, 11)}, 2, []Evidence{ev("a", 0, 1), ev("a", 10, 11)}},
		{"no cap", []Evidence{ev("a", 20, 21), ev("a", 0, 1)}, 0, []Evidence{ev("a", 0, 1), ev("a", 20, 21)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MergeEvidence(tt.in, tt.max)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
