package nats

import (
	"slices"
	"testing"
)

func TestParsePartitions(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int
		ok   bool
	}{
		{"", nil, true}, {"0,1", []int{0, 1}, true}, {" 2 , 5,", []int{2, 5}, true}, {"a", nil, false}, {"-1", nil, false},
	} {
		got, err := ParsePartitions(c.in)
		if !slices.Equal(got, c.want) || (err == nil) != c.ok {
			t.Errorf("ParsePartitions(%q) = %v, %v", c.in, got, err)
		}
	}
}
