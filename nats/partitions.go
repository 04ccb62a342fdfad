package nats

import (
	"fmt"
	"strconv"
	"strings"
)

// ParsePartitions parses a comma-separated list of partition numbers, as
// WorkerConfig.Own takes them; an empty list is all partitions.
func ParsePartitions(s string) ([]int, error) {
	var owned []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' }) {
		p, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || p < 0 {
			return nil, fmt.Errorf("%q is not a partition number", f)
		}
		owned = append(owned, p)
	}
	return owned, nil
}
