package moderate_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/ctxtest"
	"github.com/forewarn/forewarn/moderate"
)

// A context that is done stops the scoring at the next look, the looks
// come every few KB of text, and a context that is never done changes
// nothing.
func TestContextStopsScoring(t *testing.T) {
	m, err := moderate.New(nil, moderate.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	post := &forewarn.Post{ID: "p", Sensitive: true}
	// 100 KB, 20,000 words: about 20 looks at one per 5 KB.
	text := strings.Repeat("you idiot ", 10000)
	const minLooks = 15
	t.Run("decide", func(t *testing.T) {
		want := m.Decide(post, text)
		ctxtest.CheckStops(t, minLooks, func(ctx context.Context) error {
			v, err := m.DecideContext(ctx, post, text)
			if err == nil && !reflect.DeepEqual(v, want) {
				t.Errorf("DecideContext %+v, Decide %+v", v, want)
			}
			return err
		})
	})
	t.Run("nudge", func(t *testing.T) {
		want := m.Nudge(post, text)
		ctxtest.CheckStops(t, minLooks, func(ctx context.Context) error {
			n, err := m.NudgeContext(ctx, post, text)
			if err == nil && !reflect.DeepEqual(n, want) {
				t.Errorf("NudgeContext %+v, Nudge %+v", n, want)
			}
			return err
		})
	})
}
