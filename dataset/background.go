package dataset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/cespare/xxhash/v2"
)

// Passage is a text of a background corpus: ordinary prose, news or
// technical documentation that carries no warning labels, with the domain
// it comes from. A domain is a prior, not a label.
type Passage struct {
	ID   string
	Text string
	// Domain is the genre, man-page section or news class.
	Domain string
	// Group is the document the passage belongs to; HeldOut splits by it.
	Group string
}

// heldOutSeed is mixed into the hash of HeldOut; changing it changes which
// part of every background corpus is held out.
const heldOutSeed = "forewarn-background-v1"

// HeldOutShare is the share of groups HeldOut keeps back: one in five,
// enough held-out paragraphs per corpus (thousands) for a false-alarm rate
// with a margin of error under one point.
const HeldOutShare = 5

// HeldOut reports whether the group belongs to the held-out part of the
// fixed hash split of the background corpora: models train on the other
// part, and everyday-text evaluations run on this one.
func HeldOut(group string) bool {
	return xxhash.Sum64String(heldOutSeed+"\x00"+group)%HeldOutShare == 0
}

// eachJSONLine decodes every non-empty line of r into a new T and calls fn.
func eachJSONLine[T any](r io.Reader, fn func(n int, v *T) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		v := new(T)
		if err := json.Unmarshal(sc.Bytes(), v); err != nil {
			return fmt.Errorf("%w: line %d: %v", ErrFormat, n, err)
		}
		if err := fn(n, v); err != nil {
			return err
		}
	}
	return sc.Err()
}
