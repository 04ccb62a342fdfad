package forewarn

import "fmt"

// NewPost returns the post with text that comments are judged against:
// its warning line and topics found by d, and whether they make it
// sensitive under mod's policy.
func NewPost(d Detector, mod Moderator, text string) (*Post, error) {
	w, err := d.Warn(text, "")
	if err != nil {
		return nil, fmt.Errorf("warn post: %w", err)
	}
	return &Post{Text: text, Line: w.Line, Topics: w.Topics, Sensitive: mod.Sensitive(w.Topics)}, nil
}
