package moderate

import (
	"fmt"
	"os"

	"github.com/forewarn/forewarn/comment"
)

// LoadFiles returns the moderator on the comment model file at model
// (empty: the embedded model) under the policy file at policy (empty: the
// built-in policy), with edit, if set, applied to the policy after it is
// read, for settings that override the file.
func LoadFiles(model, policy string, edit func(*Policy)) (*Moderator, error) {
	c, err := comment.LoadFile(model)
	if err != nil {
		return nil, err
	}
	p := DefaultPolicy()
	if policy != "" {
		b, err := os.ReadFile(policy)
		if err != nil {
			return nil, fmt.Errorf("read policy: %w", err)
		}
		if p, err = ParsePolicy(b); err != nil {
			return nil, err
		}
	}
	if edit != nil {
		edit(&p)
	}
	return New(c, p)
}
