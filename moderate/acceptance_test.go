package moderate_test

import (
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/warn"
)

// acceptanceCase is a comment a reader tried under a post about a lost
// pregnancy, with the decision a moderator wants. These are acceptance
// cases: no rule, training example or threshold was written from them.
type acceptanceCase struct {
	group, text string
	want        forewarn.Decision
	// known, when set, says why the embedded models decide the case
	// wrongly today. The test then reports the case instead of failing,
	// and fails once the case is decided right, so that the mark goes.
	known string
}

const (
	pub = forewarn.Publish
	hld = forewarn.Hold
	sup = forewarn.Support
)

var acceptanceCases = []acceptanceCase{
	{"at risk", "I've written letters to my kids. They'll be better off.", sup, "the self-harm model scores it 0.14: saying goodbye without a word of death or harm is rare in its public data"},
	{"at risk", "I keep thinking about joining him. It would be so easy.", sup, "the self-harm model scores it 0.13: joining someone who died says risk only through the post it answers, which the model does not read"},
	{"at risk", "I've stopped eating and I'm giving my things away.", sup, ""},
	{"at risk", "No one would even notice if I was gone.", sup, ""},
	{"joke", "I could kill myself for forgetting my keys again lol", pub, ""},
	{"joke", "I want to die laughing at this recipe.", pub, ""},
	{"grief", "Karma is my favourite song of his.", pub, ""},
	{"grief", "He wanted to grow up to be a firefighter.", pub, ""},
	{"dismissive", "Move past it, it's been ages.", hld, "the comment model's hostility heads score it low and no phrase rule holds it (dismissing rules had no measured gain)"},
	{"dismissive", "He made his choices, live with it.", hld, "the comment model's hostility heads score it low and no phrase rule holds it (blaming rules had no measured gain)"},
}

// TestAcceptance decides the acceptance cases under a post about a lost
// pregnancy and reports every one.
func TestAcceptance(t *testing.T) {
	det, err := warn.New(warn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := newModerator(t)
	post := loadPost(t, det, m, "testdata/loss.txt")
	for _, c := range acceptanceCases {
		t.Run(c.group, func(t *testing.T) {
			v := m.Decide(post, c.text)
			right := v.Decision == c.want
			switch {
			case c.known == "" && !right:
				t.Errorf("%q: %s, want %s (reasons %q, self_harm %.3f)", c.text, v.Decision, c.want, v.Reasons, v.Scores["self_harm"])
			case c.known != "" && right:
				t.Errorf("%q: now %s as wanted; remove its known mark (%s)", c.text, v.Decision, c.known)
			case c.known != "":
				t.Logf("known: %q: %s, want %s: %s", c.text, v.Decision, c.want, c.known)
			default:
				t.Logf("%q: %s", c.text, v.Decision)
			}
		})
	}
}
