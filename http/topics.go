package http

import (
	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/moderate"
)

// sensitiveJudge is implemented by moderators that know which topics make
// a post sensitive under their policy, such as *moderate.Moderator.
type sensitiveJudge interface {
	Sensitive(topics []forewarn.Topic) bool
}

// sensitive reports whether topics make a post sensitive: on such a post,
// hostility aimed at the poster is held even when it carries no swear word.
// The moderator's policy decides when it can; otherwise the default
// policy's topics do, so that the set is kept in one place.
func (s *Server) sensitive(topics []forewarn.Topic) bool {
	if j, ok := s.cfg.Moderator.(sensitiveJudge); ok {
		return j.Sensitive(topics)
	}
	return moderate.IsSensitive(topics)
}
