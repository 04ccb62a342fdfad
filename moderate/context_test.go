package moderate_test

import (
	"os"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/warn"
)

// contextCase is one comment with the decision it should get under a
// sensitive post (a brother lost to an overdose) and under a neutral one
// (a recipe).
type contextCase struct {
	kind      string
	text      string
	sensitive forewarn.Decision
	neutral   forewarn.Decision
}

const (
	pub = forewarn.Publish
	hld = forewarn.Hold
	sup = forewarn.Support
)

// contextCases are written for this test.
var contextCases = []contextCase{
	// Hostile without a swear word: held on the sensitive post; only the
	// plainly personal ones are held everywhere.
	{"hostile", "Get over it already, it has been months.", hld, pub},
	{"hostile", "Nobody cares about your sad story.", hld, pub},
	{"hostile", "Stop milking his death for sympathy.", hld, pub},
	{"hostile", "What an attention seeker, posting this for likes.", hld, pub},
	{"hostile", "Once an addict, always an addict.", hld, pub},
	{"hostile", "He was just another junkie.", hld, pub},
	{"hostile", "It's your own fault he died, you should have watched him better.", hld, pub},
	{"hostile", "Maybe if you had looked after him better he would still be here.", hld, pub},
	{"hostile", "Well, he chose drugs. What did he expect?", hld, pub},
	{"hostile", "Boo hoo, cry me a river.", hld, pub},
	{"hostile", "He had it coming.", hld, pub},
	{"hostile", "I hope the same happens to you.", hld, hld},
	{"hostile", "You are pathetic.", hld, hld},
	{"hostile", "People die every day, toughen up.", hld, pub},
	// Profanity aimed at the poster is held anywhere.
	{"insult", "You're a fucking idiot.", hld, hld},
	{"insult", "What a selfish moron.", hld, hld},
	// Kind comments that swear.
	{"kind-swear", "Holy shit, I'm so sorry for your loss.", pub, pub},
	{"kind-swear", "Fuck addiction. Sending love to you and your family.", pub, pub},
	{"kind-swear", "Damn, that is a hell of a thing to go through. Sorry.", pub, pub},
	{"kind-swear", "This is so fucking unfair. He deserved so much better.", pub, pub},
	{"kind-swear", "Bloody hell, you wrote this beautifully.", pub, pub},
	{"kind-swear", "Shit, I lost my cousin the same way. Hugs.", pub, pub},
	// Counter-speech.
	{"counter", "People calling him a junkie should be ashamed of themselves.", pub, pub},
	{"counter", "Whoever said he deserved it is disgusting.", pub, pub},
	{"counter", "Shame on anyone telling you to get over it.", pub, pub},
	{"counter", "Ignore the trolls saying he brought it on himself.", pub, pub},
	// Negation.
	{"negation", "You are not an attention seeker, you are a sister who is grieving.", pub, pub},
	{"negation", "Nobody should call him a junkie.", pub, pub},
	{"negation", "It was not your fault. It was never your fault.", pub, pub},
	{"negation", "He was never just an addict to the people who loved him.", pub, pub},
	// Self-harm and suicide risk.
	{"support", "I can't do this anymore, I want to end it all.", sup, sup},
	{"support", "I've been cutting again and nobody knows.", sup, sup},
	{"support", "No one would miss me if I was gone.", sup, sup},
	{"support", "Some nights I think I would be better off dead.", sup, sup},
	{"support", "I don't want to wake up tomorrow.", sup, sup},
	{"support", "I feel like ending it all tonight.", sup, sup},
	{"support", "Honestly I should just die.", sup, sup},
	{"support", "He left last week and now I want to end it all.", sup, sup},
	{"neutral", "My brother said he wanted to end it all last year, and I am so glad he got help.", pub, pub},
	// Idioms that sound like risk or violence.
	{"idiom", "This joke killed me.", pub, pub},
	{"idiom", "I could die of embarrassment when I read my old posts.", pub, pub},
	{"idiom", "Kill the lights and put on his favourite record tonight.", pub, pub},
	{"idiom", "I'm dying to try this with fresh basil.", pub, pub},
	// Neutral and warm.
	{"neutral", "Thank you for writing this. I read it twice.", pub, pub},
	{"neutral", "Where can I donate in his name?", pub, pub},
	{"neutral", "I lost my dad to addiction too. You are not alone.", pub, pub},
	{"neutral", "Could you share the name of the support group you mentioned?", pub, pub},
	{"neutral", "He sounds like he was a wonderful brother.", pub, pub},
}

func loadPost(t testing.TB, det *warn.Detector, mod *moderate.Moderator, name string) *forewarn.Post {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	w, err := det.Warn(string(b), "")
	if err != nil {
		t.Fatal(err)
	}
	return &forewarn.Post{Text: string(b), Topics: w.Topics, Sensitive: mod.Sensitive(w.Topics)}
}

func newModerator(t testing.TB) *moderate.Moderator {
	t.Helper()
	m, err := moderate.New(nil, moderate.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// strictKinds are the kinds of case every decision must get right: kind
// swearing, warm and neutral comments and idioms are published under
// every post, by design of the heads (swearing never holds).
var strictKinds = map[string]bool{"kind-swear": true, "neutral": true, "idiom": true}

// minRight is the share of the other cases (hostility without swear words,
// counter-speech, negation, risk) that must be decided as written. These
// sentences were written together with the old phrase list, so they are a
// regression guard for the learned heads, not a measure of them: the
// measured figures are those of "forewarn eval --task moderate" on public
// test splits. The floor sits a little under what the embedded model gets.
const minRight = 0.8

// TestContext decides the same comments under a sensitive post and under
// a neutral one.
func TestContext(t *testing.T) {
	det, err := warn.New(warn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := newModerator(t)
	loss := loadPost(t, det, m, "testdata/loss.txt")
	recipe := loadPost(t, det, m, "testdata/recipe.txt")
	if !loss.Sensitive || recipe.Sensitive {
		t.Fatalf("sensitivity: loss %v (%v), recipe %v (%v)", loss.Sensitive, loss.Topics, recipe.Sensitive, recipe.Topics)
	}
	if len(contextCases) < 40 {
		t.Fatalf("only %d cases", len(contextCases))
	}
	right, n := 0, 0
	for _, c := range contextCases {
		for _, p := range []struct {
			name string
			post *forewarn.Post
			want forewarn.Decision
		}{{"sensitive", loss, c.sensitive}, {"neutral", recipe, c.neutral}} {
			v := m.Decide(p.post, c.text)
			switch {
			case strictKinds[c.kind] && v.Decision != p.want:
				t.Errorf("%s post, %s %q: decision %s, want %s (reasons %q)", p.name, c.kind, c.text, v.Decision, p.want, v.Reasons)
			case !strictKinds[c.kind]:
				n++
				if v.Decision == p.want {
					right++
				} else {
					t.Logf("%s post, %s %q: decision %s, want %s", p.name, c.kind, c.text, v.Decision, p.want)
				}
			}
			if (v.Decision == forewarn.Publish) != (len(v.Reasons) == 0) {
				t.Errorf("%q: decision %s with reasons %q", c.text, v.Decision, v.Reasons)
			}
			if (v.Decision == forewarn.Support) != (v.Support != "") {
				t.Errorf("%q: decision %s with support text %q", c.text, v.Decision, v.Support)
			}
			if v.Decision != forewarn.Publish && len(v.Evidence) == 0 {
				t.Errorf("%q: decision %s without evidence", c.text, v.Decision)
			}
		}
	}
	share := float64(right) / float64(n)
	t.Logf("%d of %d non-strict decisions as written (%.2f)", right, n, share)
	if share < minRight {
		t.Errorf("%d of %d non-strict decisions as written (%.2f), want at least %.2f", right, n, share, minRight)
	}
}
