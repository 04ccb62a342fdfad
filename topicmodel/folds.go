package topicmodel

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cespare/xxhash/v2"
)

// groupFolds assigns every example to one of k folds so that a group's
// examples share a fold. Groups are ordered by a seeded hash and dealt out
// in turn, which is deterministic and keeps the folds the same size.
func groupFolds(groups []string, k int, seed uint64) []int {
	type g struct {
		name string
		h    uint64
	}
	seen := map[string]bool{}
	var gs []g
	var seedBytes [8]byte
	for i := range seedBytes {
		seedBytes[i] = byte(seed >> (8 * i))
	}
	for _, name := range groups {
		if !seen[name] {
			seen[name] = true
			d := xxhash.New()
			d.Write(seedBytes[:])
			d.WriteString(name)
			gs = append(gs, g{name, d.Sum64()})
		}
	}
	slices.SortFunc(gs, func(a, b g) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.name, b.name)) })
	fold := make(map[string]int, len(gs))
	for i, x := range gs {
		fold[x.name] = i % k
	}
	out := make([]int, len(groups))
	for i, name := range groups {
		out[i] = fold[name]
	}
	return out
}

// split returns the indices outside and inside fold k.
func split(folds []int, k int) (train, test []int) {
	for i, f := range folds {
		if f == k {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}

// eachFold fits the recipe on all but one of folds group folds of e and
// hands the fitted model and the held-out fold to do, for each fold.
// Calibration and thresholds come from inner folds of the training part
// only.
//
// Only the first n examples are dealt into folds; the rest train every
// fold.
func eachFold(ctx context.Context, e examples, n int, cfg Config, folds int, seed uint64, do func(f *fitted, test []int)) error {
	if folds < 2 {
		return fmt.Errorf("%d folds: want at least 2", folds)
	}
	assign := groupFolds(e.groups[:n], folds, seed)
	for range len(e.groups) - n {
		assign = append(assign, -1)
	}
	for k := range folds {
		if err := ctx.Err(); err != nil {
			return err
		}
		tr, te := split(assign, k)
		f, err := fit(e.subset(tr), cfg)
		if err != nil {
			return fmt.Errorf("fold %d: %w", k, err)
		}
		do(f, te)
	}
	return nil
}
