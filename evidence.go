package forewarn

import (
	"cmp"
	"slices"
)

// MaxEvidence is the most evidence spans a comment keeps. A moderator reads
// the spans to see why a comment was held; a handful make the case, and a
// long hostile comment once kept hundreds of thousands of them (9.5 MB of
// JSON for one 1 MB comment).
const MaxEvidence = 20

// MergeEvidence sorts ev by position, merges spans of the same label that
// overlap or touch, and keeps the first limit of the result (all when limit is
// not positive). It reuses ev's storage.
func MergeEvidence(ev []Evidence, limit int) []Evidence {
	if len(ev) == 0 {
		return ev
	}
	slices.SortStableFunc(ev, func(a, b Evidence) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	out := ev[:1]
	for _, e := range ev[1:] {
		last := &out[len(out)-1]
		if e.Label == last.Label && e.Start <= last.End {
			last.End = max(last.End, e.End)
			continue
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Evidence) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Label, b.Label))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
