package forewarn_test

import (
	"errors"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
)

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		at time.Time
		id string
	}{
		{time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), "c_abc"},
		{time.UnixMicro(0).UTC(), "x.y.z"},
		{time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC), "c-with-dash_and.dot"},
	}
	for _, tt := range tests {
		at, id, err := forewarn.DecodeCursor(forewarn.EncodeCursor(tt.at, tt.id))
		if err != nil || !at.Equal(tt.at) || id != tt.id {
			t.Errorf("round trip of %v %q: %v %q %v", tt.at, tt.id, at, id, err)
		}
	}
	for _, bad := range []string{"", "!!", "aaaa", forewarn.EncodeCursor(time.Now(), "")[:3]} {
		if _, _, err := forewarn.DecodeCursor(bad); !errors.Is(err, forewarn.ErrInvalid) {
			t.Errorf("forewarn.DecodeCursor(%q) = %v, want forewarn.ErrInvalid", bad, err)
		}
	}
}

// FuzzDecodeCursor feeds the cursor query parameter's decoder anything a
// client may send: it must refuse or return a cursor that encodes back to
// an equivalent one.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(forewarn.EncodeCursor(time.Unix(1, 0), "c_1"))
	f.Add("")
	f.Add("mfrgg")
	f.Fuzz(func(t *testing.T, s string) {
		at, id, err := forewarn.DecodeCursor(s)
		if err != nil {
			if !errors.Is(err, forewarn.ErrInvalid) {
				t.Fatalf("error %v is not forewarn.ErrInvalid", err)
			}
			return
		}
		at2, id2, err := forewarn.DecodeCursor(forewarn.EncodeCursor(at, id))
		if err != nil || !at2.Equal(at) || id2 != id {
			t.Fatalf("%q decodes to %v %q, which does not round-trip", s, at, id)
		}
	})
}
