package webhook

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
)

// TestReceiver sends the receiver a signed delivery, one signed with
// another secret and one signed too long ago, and checks the answers and
// the lines it writes.
func TestReceiver(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"ev_1","type":"comment.held","data":{"comment":{"id":"c_1","status":"held"}}}`)
	var out bytes.Buffer
	h := Receiver("s3cret", &out, func() time.Time { return now })
	for _, c := range []struct {
		name   string
		sig    string
		status int
	}{
		{"good", Sign("s3cret", now, body), http.StatusNoContent},
		{"other secret", Sign("other", now, body), http.StatusBadRequest},
		{"stale", Sign("s3cret", now.Add(-time.Hour), body), http.StatusBadRequest},
	} {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set(SignatureHeader, c.sig)
		req.Header.Set(EventIDHeader, "ev_1")
		req.Header.Set(EventTypeHeader, "comment.held")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.status)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	var first Received
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if !first.Verified || first.Comment != "c_1" || first.Status != forewarn.StatusHeld || first.Event != "ev_1" {
		t.Errorf("good delivery: %+v", first)
	}
	for _, l := range lines[1:] {
		var r Received
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Verified || r.Error == "" {
			t.Errorf("bad delivery: %s", l)
		}
	}
}

func TestEventsText(t *testing.T) {
	if got := EventsText(nil); got != "all events" {
		t.Errorf("none: %q", got)
	}
	if got := EventsText([]forewarn.EventType{"comment.held", "comment.support"}); got != "comment.held,comment.support" {
		t.Errorf("two: %q", got)
	}
}
