package dataset

import "github.com/cespare/xxhash/v2"

// TestPercent is the share of a dataset without an official split that
// HashTest puts in the test part: one in five, as in the papers that made
// random 80/20 splits of Latent Hatred and Stormfront.
const TestPercent = 20

// HashTest reports whether the unit named key (a text, post or user) falls
// in the fixed test part of a dataset without an official split. The
// split depends only on key, never on file order, so it is the same for
// every run and every reader.
func HashTest(key string) bool {
	return xxhash.Sum64String("forewarn-split/"+key)%100 < TestPercent
}
