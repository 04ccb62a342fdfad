package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// Received is what Receiver writes for each delivery.
type Received struct {
	Verified bool               `json:"verified"`
	Error    string             `json:"error,omitempty"`
	Event    string             `json:"event"`
	Type     forewarn.EventType `json:"type"`
	Attempt  string             `json:"attempt"`
	Comment  string             `json:"comment,omitempty"`
	Status   forewarn.Status    `json:"status,omitempty"`
	Action   forewarn.Action    `json:"action,omitempty"`
}

// maxReceived is the largest body Receiver reads, 1 MiB: far more than an
// event with a 20 KB comment.
const maxReceived = 1 << 20

// Receiver returns a handler to try webhooks with: it checks each
// delivery's signature under secret as a site must (with clock now and
// DefaultTolerance), answers 204 to good ones and 400 to the rest, and
// writes one JSON line per delivery to out.
func Receiver(secret string, out io.Writer, now func() time.Time) http.Handler {
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxReceived))
		line := Received{Event: r.Header.Get(EventIDHeader), Type: forewarn.EventType(r.Header.Get(EventTypeHeader)), Attempt: r.Header.Get(AttemptHeader)}
		if err == nil {
			err = Verify(secret, r.Header.Get(SignatureHeader), body, now(), 0)
		}
		var ev forewarn.Event
		if err == nil {
			err = json.Unmarshal(body, &ev)
		}
		if err != nil {
			line.Error = err.Error()
			w.WriteHeader(http.StatusBadRequest)
		} else {
			line.Verified = true
			if c := ev.Data.Comment; c != nil {
				line.Comment, line.Status = c.ID, c.Status
			}
			if a := ev.Data.Action; a != nil {
				line.Action = a.Action
			}
			w.WriteHeader(http.StatusNoContent)
		}
		mu.Lock()
		enc.Encode(line)
		mu.Unlock()
	})
}

// EventsText names the event types a webhook receives, comma-separated,
// or "all events" for none listed.
func EventsText(events []forewarn.EventType) string {
	if len(events) == 0 {
		return "all events"
	}
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = string(e)
	}
	return strings.Join(names, ",")
}

// Listen serves Receiver on addr until ctx is done, telling ready the
// address it listens on.
func Listen(ctx context.Context, addr, secret string, out io.Writer, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: Receiver(secret, out, time.Now)}
	ready(ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
