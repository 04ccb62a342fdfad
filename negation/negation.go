// Package negation holds the one list of words that negate what follows
// them in the same clause, and how far a negation reaches. The warning
// detector (package warn: "no one was hurt") and the comment moderator
// (package moderate: "you are not an attention seeker") both read it, so
// a phrase is negated the same way in an article and in a comment.
package negation

import "strings"

// Window is how many words before a phrase a negation reaches, within
// its clause. Three covers a negation, a verb and an article ("not a
// real ...", "nobody was hurt", "never be a ...") and no more; the
// moderator's six let a "nobody" at the start of a long clause cancel a
// phrase at its end. The warning detector has used three since its first
// lexicon, and its golden article and editor cases were decided with it.
const Window = 3

// words are the negations in the form English writes them. "can't" and
// "cannot" are left out on purpose: "I can't believe he died" reports a
// death rather than denying one.
var words = []string{
	"not", "never", "no", "nobody", "noone", "nor", "neither", "without",
	"don't", "doesn't", "didn't", "isn't", "wasn't", "weren't", "aren't",
	"haven't", "hasn't", "hadn't", "won't", "wouldn't", "couldn't",
	"shouldn't", "ain't",
}

// Words returns the negation words, each in its written form ("didn't")
// and, where that has an apostrophe, also without it ("didnt"), as people
// type it and as matchers that drop apostrophes see it. The caller owns
// the slice.
func Words() []string {
	out := make([]string, 0, 2*len(words))
	for _, w := range words {
		out = append(out, w)
		if strings.Contains(w, "'") {
			out = append(out, strings.ReplaceAll(w, "'", ""))
		}
	}
	return out
}
