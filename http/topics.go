package http

import "github.com/forewarn/forewarn"

// sensitive reports whether topics make a post sensitive. The moderator's
// policy decides, so that the set of sensitive topics is kept in one place.
func (s *Server) sensitive(topics []forewarn.Topic) bool {
	return s.cfg.Moderator.Sensitive(topics)
}
