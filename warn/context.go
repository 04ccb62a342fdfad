package warn

import (
	"context"
	"fmt"

	"github.com/forewarn/forewarn"
)

var _ forewarn.ContextDetector = (*Detector)(nil)

// ctxCheckTokens is how many words the detector reads between two looks at
// the caller's context: about 5 KB of English prose (a word and the space
// after it average about 5 bytes). ctx.Err() costs tens of nanoseconds and
// reading that many words tens of microseconds, so the checks cost well
// under 1% while an abandoned request stops within a fraction of a
// millisecond. Phrase matching and the learned model are each checked
// before they start.
const ctxCheckTokens = 1024

// DetectContext is Detect, or an error wrapping ctx.Err() once ctx is
// done.
func (d *Detector) DetectContext(ctx context.Context, text string) ([]forewarn.Topic, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("detect: %w", err)
	}
	s, _ := d.pool.Get().(*scratch)
	if s == nil {
		s = new(scratch)
	}
	s.ctx, s.ctxErr = ctx, nil
	defer func() {
		s.ctx, s.ctxErr = nil, nil
		d.pool.Put(s)
	}()
	topics := d.detect(s, text)
	if s.stopped() {
		return nil, fmt.Errorf("detect: %w", s.ctxErr)
	}
	return topics, nil
}

// stopped reports whether the call's context is done, and keeps its error
// in s.ctxErr.
func (s *scratch) stopped() bool {
	if s.ctxErr == nil && s.ctx != nil {
		s.ctxErr = s.ctx.Err()
	}
	return s.ctxErr != nil
}
