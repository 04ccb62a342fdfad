package moderate

// Words that steer the phrase layer. They are compared in wordKey form:
// lower case, without apostrophes.

// firstPersonList holds the words that make a risk phrase about the
// writer.
var firstPersonList = []string{"i", "im", "ive", "me", "my", "myself", "mine"}

// reportList holds words that report what someone else said or did, so
// that the phrase after them may be quoted rather than meant.
var reportList = []string{
	"call", "calls", "called", "calling", "say", "says", "said", "saying",
	"tell", "tells", "told", "telling", "write", "writes", "wrote", "writing",
	"comment", "comments", "commenting", "whoever", "mock", "mocks", "mocked",
	"mocking", "blame", "blames", "blamed", "blaming", "accuse", "accuses",
	"accused", "accusing", "suggest", "suggests", "suggesting", "claim",
	"claims", "claiming", "imply", "implying", "label", "labelling", "labeling",
	"dismiss", "dismissing", "shout", "shouting", "posting", "posted",
}

// rejectList holds words that reject what was reported: "should be
// ashamed", "is disgusting", "how dare".
var rejectList = []string{
	"ashamed", "shame", "shameful", "disgusting", "disgrace", "disgraceful",
	"cruel", "cruelty", "vile", "wrong", "awful", "horrible", "appalling",
	"heartless", "despicable", "sickening", "sick", "gross", "ignore",
	"report", "block", "unacceptable", "dare", "hate", "tired", "nasty",
	"unkind", "mean", "classless", "monsters", "trolls", "heartbreaking",
	"unforgivable", "inhuman", "inhumane", "evil", "stop", "shameless",
	"pathetic", "ugly", "abhorrent", "outrageous", "revolting", "sad",
}

// softWords are words the profanity lists class as insults or slurs that
// too often mean something else after "you" or alone ("you must be sick
// with worry", "what a waste", "the ghetto"). The model still sees them.
var softWords = map[string]bool{
	"sick": true, "mental": true, "weak": true, "joke": true, "waste": true,
	"hack": true, "tool": true, "sucks": true, "suck": true, "shut": true,
	"lies": true, "spoiled": true, "failure": true, "animal": true,
	"animals": true, "ghetto": true, "invaders": true, "illegals": true,
	"savage": true, "savages": true, "cow": true, "pig": true, "rat": true,
	"snake": true, "sheep": true, "monkey": true, "crazy": true, "nuts": true,
	"criminal": true, "criminals": true, "prison": true, "gross": true,
	"embarrassing": true, "embarrassment": true, "absurd": true,
	"ridiculous": true, "annoying": true, "lame": true, "geek": true,
	"nerd": true, "boomer": true, "virgin": true, "con": true, "fake": true,
}
