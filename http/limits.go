package http

import (
	"context"
	"fmt"
	"net"
	nethttp "net/http"
	"time"

	"github.com/forewarn/forewarn"
)

// errBusy is the answer when every slot for heavy work stays taken for
// longer than the server is willing to let a request wait.
var errBusy = &forewarn.UnavailableError{Reason: "every slot for scoring is taken", RetryAfter: time.Second}

// slots bounds how many heavy requests (the ones that run the models) work
// at once, so that memory and CPU stay bounded whatever arrives; the others
// wait their turn for a short while and then get 503.
type slots struct {
	ch   chan struct{}
	wait time.Duration
	// queue bounds how many requests may wait, so that a flood is turned
	// away at once instead of piling up goroutines. A waiting request has
	// not read its body yet, so it costs a goroutine and what the socket
	// buffers: waitersPerSlot of them per slot let a burst of 64 large
	// requests on a 2-CPU machine wait their turn.
	queue chan struct{}
}

// waitersPerSlot is how many requests may wait for each slot.
const waitersPerSlot = 32

func newSlots(n int, wait time.Duration) *slots {
	return &slots{ch: make(chan struct{}, n), wait: wait, queue: make(chan struct{}, waitersPerSlot*n)}
}

// acquire takes a slot, waiting at most s.wait and never past ctx. The
// caller must release it.
func (s *slots) acquire(ctx context.Context) error {
	select {
	case s.ch <- struct{}{}:
		return nil
	default:
	}
	select {
	case s.queue <- struct{}{}:
		defer func() { <-s.queue }()
	default:
		return errBusy
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.ch <- struct{}{}:
		return nil
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return &forewarn.UnavailableError{Reason: "waiting for a slot: " + ctx.Err().Error(), RetryAfter: time.Second}
	}
}

func (s *slots) release() { <-s.ch }

// checkDeadline returns a 503 error when r's deadline has passed or its
// client has gone, so that a handler stops before storing anything.
func checkDeadline(r *nethttp.Request) error {
	if err := r.Context().Err(); err != nil {
		return &forewarn.UnavailableError{Reason: "scored past the request's deadline, nothing stored: " + err.Error(), RetryAfter: time.Second}
	}
	return nil
}

// verdict runs the moderator under r's context when it can stop early
// (forewarn.ContextModerator), so that a request past its deadline or
// abandoned by its client stops scoring; otherwise it decides to the end.
func (s *Server) verdict(r *nethttp.Request, p *forewarn.Post, text string) (forewarn.Verdict, error) {
	if cm, ok := s.cfg.Moderator.(forewarn.ContextModerator); ok {
		v, err := cm.DecideContext(r.Context(), p, text)
		return v, stopped(r, err)
	}
	return s.cfg.Moderator.Decide(p, text), checkDeadline(r)
}

// nudgeDraft is verdict for a nudge.
func (s *Server) nudgeDraft(r *nethttp.Request, p *forewarn.Post, text string) (forewarn.Nudge, error) {
	if cm, ok := s.cfg.Moderator.(forewarn.ContextModerator); ok {
		n, err := cm.NudgeContext(r.Context(), p, text)
		return n, stopped(r, err)
	}
	return s.cfg.Moderator.Nudge(p, text), checkDeadline(r)
}

// warn is verdict for the detector.
func (s *Server) warn(r *nethttp.Request, text, style string) (forewarn.Warning, error) {
	var wn forewarn.Warning
	var err error
	if cd, ok := s.cfg.Detector.(forewarn.ContextDetector); ok {
		wn, err = cd.WarnContext(r.Context(), text, style)
	} else {
		wn, err = s.cfg.Detector.Warn(text, style)
	}
	if err != nil && r.Context().Err() == nil {
		return wn, fmt.Errorf("warn: %w", err)
	}
	return wn, stopped(r, err)
}

// stopped returns err, which came from scoring under r's context, as the
// 503 of checkDeadline when r's context is done, and err otherwise.
func stopped(r *nethttp.Request, err error) error {
	if err := checkDeadline(r); err != nil {
		return err
	}
	return err
}

// clientAddr returns the IP address of the peer, without the port.
func clientAddr(r *nethttp.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
