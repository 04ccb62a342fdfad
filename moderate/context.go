package moderate

import (
	"context"

	"github.com/forewarn/forewarn"
)

var _ forewarn.ContextModerator = (*Moderator)(nil)

// ctxCheckTokens is how many words the moderator tokenizes between two
// looks at the caller's context: about 5 KB of English (a word and the space
// after it average about 5 bytes in the comment datasets). ctx.Err() costs
// tens of nanoseconds and tokenizing that many words tens of microseconds,
// so the checks cost well under 1% while an abandoned request stops within
// a fraction of a millisecond of tokenizing. The stages after tokenizing
// (phrase matching, the comment model, the evidence) are each checked
// before they start.
const ctxCheckTokens = 1024

// scratch takes a goroutine's scratch state from the pool for a call under
// ctx; release returns it.
func (m *Moderator) scratch(ctx context.Context) *scratch {
	s := m.pool.Get().(*scratch)
	s.ctx, s.ctxErr = ctx, nil
	return s
}

func (m *Moderator) release(s *scratch) {
	s.ctx, s.ctxErr = nil, nil
	m.pool.Put(s)
}

// stopped reports whether the call's context is done, and keeps its error
// in s.ctxErr.
func (s *scratch) stopped() bool {
	if s.ctxErr == nil && s.ctx != nil {
		s.ctxErr = s.ctx.Err()
	}
	return s.ctxErr != nil
}
