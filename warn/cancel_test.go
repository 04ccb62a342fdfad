package warn

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/forewarn/forewarn/ctxtest"
)

// A context that is done stops detection at the next look, the looks come
// every few KB of text, and a context that is never done changes nothing.
func TestContextStopsDetection(t *testing.T) {
	d := newDetector(t)
	// 228 KB, 40,000 words: about 40 looks at one per 5 KB.
	text := strings.Repeat("She said the grief after the miscarriage came in waves. ", 4000)
	want, err := d.Warn(text, "")
	if err != nil {
		t.Fatal(err)
	}
	ctxtest.CheckStops(t, 30, func(ctx context.Context) error {
		w, err := d.WarnContext(ctx, text, "")
		if err == nil && !reflect.DeepEqual(w, want) {
			t.Errorf("WarnContext %+v, Warn %+v", w, want)
		}
		return err
	})
}
