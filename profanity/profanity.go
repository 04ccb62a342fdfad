// Package profanity knows the words people use to swear, insult, threaten
// and demean, in the normalised forms textseg produces.
//
// The models learn most of this from data; the list adds what data teaches
// badly: rare spellings and variants share one class, so a model that has
// seen "idiot" also gives weight to "imbecile", and disguised spellings that
// the text pipeline undoes still land on a known word. The lists are
// written for this project.
package profanity

import (
	"sort"
	"strings"
)

// Class is a bit set of word classes.
type Class uint8

// Word classes.
const (
	// Swear is profanity: strong words used for emphasis as much as abuse.
	Swear Class = 1 << iota
	// Insult is a word that demeans a person: "idiot", "loser".
	Insult
	// Slur is a word that attacks an identity.
	Slur
	// Threat is a word of violence aimed at someone.
	Threat
	// Second marks words addressing the reader: "you", "your".
	Second
	// Third marks words pointing at a third person: "he", "she", "they".
	Third
	// Identity marks words that name a group by race, religion, gender,
	// sexuality, disability or origin: hate is an attack on one of them.
	Identity
)

// roots are matched anywhere inside a word, for words whose every
// compound is strong ("motherfucker", "bullshit").
var roots = []struct {
	root  string
	class Class
}{
	{"fuck", Swear}, {"fuk", Swear}, {"fck", Swear}, {"shit", Swear}, {"sh*t", Swear},
	{"f*ck", Swear}, {"f**k", Swear}, {"bitch", Swear | Insult},
	{"asshole", Swear | Insult}, {"dickhead", Swear | Insult},
	{"bollock", Swear}, {"nigger", Slur}, {"nigga", Slur}, {"faggot", Slur},
	{"libtard", Insult}, {"dumbass", Swear | Insult},
	{"jackass", Swear | Insult}, {"twat", Swear | Insult}, {"douche", Insult},
}

// words are matched as whole words, with common suffixes.
var words = map[string]Class{
	// Swearing.
	"ass": Swear, "arse": Swear, "damn": Swear, "dammit": Swear, "crap": Swear,
	"piss": Swear, "pissed": Swear, "dick": Swear | Insult, "cock": Swear,
	"bastard": Swear | Insult, "bloody": Swear, "hell": Swear, "wtf": Swear,
	"stfu": Swear | Insult, "gtfo": Swear | Insult, "af": Swear, "effing": Swear,
	"frigging": Swear, "freaking": Swear, "prick": Swear | Insult, "pussy": Swear | Insult,
	"tits": Swear, "whore": Swear | Insult, "slut": Swear | Insult, "hoe": Swear | Insult,
	"skank": Insult, "bullcrap": Swear, "ho": Swear | Insult, "fk": Swear, "fkk": Swear,
	"sht": Swear, "phuq": Swear, "phuck": Swear, "fuq": Swear, "biatch": Swear | Insult,
	"beatch": Swear | Insult, "azz": Swear, "fucc": Swear, "shiet": Swear, "cunt": Swear | Insult, "cunty": Swear | Insult,
	"wank": Swear | Insult, "wanker": Swear | Insult, "retard": Insult | Slur, "retarded": Insult | Slur,
	// Insults.
	"idiot": Insult, "idiots": Insult, "idiotic": Insult, "stupid": Insult, "moron": Insult,
	"moronic": Insult, "dumb": Insult, "dummy": Insult, "loser": Insult, "pathetic": Insult,
	"disgusting": Insult, "trash": Insult, "garbage": Insult, "scum": Insult, "scumbag": Insult,
	"liar": Insult, "coward": Insult, "clown": Insult, "fool": Insult, "foolish": Insult,
	"imbecile": Insult, "ignorant": Insult, "hypocrite": Insult, "hypocritical": Insult,
	"traitor": Insult, "pig": Insult, "pigs": Insult, "vile": Insult, "creep": Insult,
	"creepy": Insult, "freak": Insult, "weirdo": Insult, "jerk": Insult, "worthless": Insult,
	"useless": Insult, "ugly": Insult, "fat": Insult, "lame": Insult, "sucks": Insult,
	"suck": Insult, "incompetent": Insult, "clueless": Insult, "brainless": Insult,
	"braindead": Insult, "nutjob": Insult, "lunatic": Insult, "psycho": Insult,
	"snowflake": Insult, "snowflakes": Insult, "sheep": Insult, "sheeple": Insult,
	"cuck": Insult, "simp": Insult, "thug": Insult, "thugs": Insult, "dirtbag": Insult,
	"lowlife": Insult, "degenerate": Insult, "parasite": Insult, "vermin": Insult | Slur,
	"filth": Insult, "filthy": Insult, "nazi": Insult, "nazis": Insult, "fascist": Insult,
	"commie": Insult, "shameless": Insult, "evil": Insult, "sick": Insult, "gross": Insult,
	"junkie": Insult, "druggie": Insult, "crackhead": Insult,
	"whiny": Insult, "whining": Insult, "crybaby": Insult, "karen": Insult,
	"shut": Insult, "dolt": Insult, "halfwit": Insult, "nitwit": Insult, "numpty": Insult,
	// Slurs and identity attacks.
	"fag": Slur, "fags": Slur, "dyke": Slur, "tranny": Slur, "trannies": Slur,
	"kike": Slur, "spic": Slur, "chink": Slur, "wetback": Slur, "raghead": Slur,
	"towelhead": Slur, "coon": Slur, "gook": Slur, "paki": Slur, "beaner": Slur,
	"savages": Slur, "savage": Insult, "subhuman": Slur, "mongoloid": Slur,
	"cripple": Slur, "spaz": Slur, "homo": Slur, "queers": Slur, "ghetto": Slur,
	"illegals": Slur, "invaders": Slur, "animals": Insult, "卐": Slur,
	// Threats.
	"kill": Threat, "killed": Threat, "die": Threat, "dead": Threat, "shoot": Threat,
	"kills": Threat, "killing": Threat, "dies": Threat, "dying": 0,
	"hang": Threat, "hanged": Threat, "stab": Threat, "punch": Threat, "beat": Threat,
	"murder": Threat, "burn": Threat, "rape": Threat, "lynch": Threat, "slap": Threat,
	"strangle": Threat, "destroy": Threat, "kys": Threat | Insult,
	// More insults and demeaning descriptions of people.
	"dimwit": Insult, "dimwits": Insult, "turd": Insult, "turds": Insult, "trashy": Insult,
	"sloth": Insult, "embarrassing": Insult, "embarrassment": Insult, "disgrace": Insult,
	"disgraceful": Insult, "despicable": Insult, "deplorable": Insult, "deplorables": Insult,
	"repulsive": Insult, "revolting": Insult, "sickening": Insult, "sickens": Insult,
	"unhinged": Insult, "deranged": Insult, "delusional": Insult, "crazy": Insult,
	"insane": Insult, "nuts": Insult, "nutcase": Insult, "mental": Insult, "maniac": Insult,
	"hag": Insult, "witch": Insult, "cow": Insult, "harpy": Insult, "bimbo": Insult,
	"dork": Insult, "nerd": Insult, "geek": 0, "twit": Insult, "tool": Insult, "donkey": Insult,
	"monkey": Insult | Slur, "ape": Insult | Slur, "apes": Insult | Slur, "rat": Insult,
	"rats": Insult, "snake": Insult, "weasel": Insult, "leech": Insult, "cockroach": Insult | Slur,
	"cockroaches": Insult | Slur, "maggot": Insult, "maggots": Insult, "swine": Insult,
	"buffoon": Insult, "bozo": Insult, "goon": Insult, "hack": Insult, "shill": Insult,
	"puppet": Insult, "crook": Insult, "crooked": Insult, "criminal": Insult, "criminals": Insult,
	"thief": Insult, "fraud": Insult, "phony": Insult, "fake": Insult, "sleazy": Insult,
	"sleazebag": Insult, "slimy": Insult, "slimeball": Insult, "pervert": Insult, "perv": Insult,
	"pedo": Insult, "pedophile": Insult, "predator": Insult, "rapist": Insult, "abuser": Insult,
	"bully": Insult, "bigot": Insult, "bigots": Insult, "racist": Insult, "racists": Insult,
	"sexist": Insult, "misogynist": Insult, "homophobe": Insult, "hater": Insult, "haters": Insult,
	"troll": Insult, "trolls": Insult, "grifter": Insult, "con": 0, "conman": Insult,
	"tyrant": Insult, "dictator": Insult, "terrorist": Insult, "terrorists": Insult,
	"brat": Insult, "spoiled": Insult, "entitled": Insult, "arrogant": Insult, "smug": Insult,
	"pompous": Insult, "condescending": Insult, "obnoxious": Insult, "annoying": Insult,
	"insufferable": Insult, "spineless": Insult, "gutless": Insult, "weak": Insult,
	"ridiculous": Insult, "absurd": Insult, "laughable": Insult, "joke": Insult,
	"idiocy": Insult, "stupidity": Insult, "dumbest": Insult, "stupidest": Insult,
	"ignoramus": Insult, "dunce": Insult, "cretin": Insult, "simpleton": Insult,
	"boomer": Insult, "neckbeard": Insult, "incel": Insult, "virgin": 0, "wimp": Insult,
	"sissy": Insult, "pansy": Insult | Slur, "hillbilly": Insult, "redneck": Insult,
	"yokel": Insult, "peasant": Insult, "bum": Insult, "bums": Insult, "deadbeat": Insult,
	"lazy": Insult, "greedy": Insult, "liars": Insult, "lying": Insult, "lies": Insult,
	"hypocrites": Insult, "losers": Insult, "cowards": Insult, "clowns": Insult, "fools": Insult,
	"morons": Insult, "traitors": Insult, "scumbags": Insult, "animal": Insult,
	"attention-seeker": Insult, "junkies": Insult, "addict": 0, "failure": Insult,
	"waste": Insult, "pest": Insult, "nuisance": Insult, "oaf": Insult, "hypocrisy": Insult,
	"shameful": Insult, "asinine": Insult, "inane": Insult, "moronism": Insult,
	// Political name-calling common in replies.
	"dumocrat": Insult, "dumocrats": Insult, "demonrat": Insult, "demonrats": Insult,
	"democrap": Insult, "democraps": Insult, "rethuglican": Insult, "rethuglicans": Insult,
	"republicunt": Swear | Insult, "trumptard": Insult, "trumptards": Insult,
	"maggat": Insult, "leftard": Insult, "leftards": Insult, "libtards": Insult,
	"feminazi": Insult, "feminazis": Insult, "commies": Insult, "antifa": 0,
	// Swearing variants.
	"fucking": Swear, "fucked": Swear, "fuckin": Swear, "fkn": Swear, "fking": Swear,
	"motherfucking": Swear, "mf": Swear, "mofo": Swear, "bs": Swear, "shitty": Swear,
	"crappy": Swear, "damned": Swear, "goddamn": Swear, "goddamned": Swear, "hella": Swear,
	"arsehole": Swear | Insult, "butthole": Swear | Insult, "butt": Swear, "boobs": Swear,
	"screw": Swear, "screwed": Swear, "sod": Swear, "bugger": Swear, "bellend": Swear | Insult,
	"knob": Swear | Insult, "tosser": Swear | Insult, "git": Insult, "pillock": Insult,
	"piss-poor": Swear, "jizz": Swear, "cum": Swear, "dildo": Swear, "porn": Swear,
	"omfg": Swear, "fml": Swear, "ffs": Swear, "lmfao": Swear, "fu": Swear | Insult,
	// Threats and wishes of harm.
	"shot": Threat, "hanging": Threat,
	"execute": Threat, "executed": Threat, "behead": Threat, "bomb": Threat,
	"choke": Threat, "drown": Threat, "smash": Threat, "hurt": Threat, "attack": Threat,
	"jail": Threat, "prison": Threat, "lock": 0, "deport": Threat, "gas": Threat,
	"exterminate": Threat | Slur, "eradicate": Threat, "wipe": 0, "bullet": Threat,
	"gun": 0, "knife": Threat, "whip": Threat, "torture": Threat,
	// Identities.
	"black": Identity, "blacks": Identity, "white": Identity, "whites": Identity,
	"asian": Identity, "asians": Identity, "arab": Identity, "arabs": Identity,
	"mexican": Identity, "mexicans": Identity, "latino": Identity, "latinos": Identity,
	"latina": Identity, "hispanic": Identity, "hispanics": Identity, "african": Identity,
	"africans": Identity, "chinese": Identity, "indian": Identity, "indians": Identity,
	"jew": Identity, "jews": Identity, "jewish": Identity, "muslim": Identity, "muslims": Identity,
	"islam": Identity, "islamic": Identity, "christian": Identity, "christians": Identity,
	"catholic": Identity, "catholics": Identity, "hindu": Identity, "hindus": Identity,
	"sikh": Identity, "sikhs": Identity, "woman": Identity, "women": Identity, "girl": Identity,
	"girls": Identity, "female": Identity, "females": Identity, "gay": Identity, "gays": Identity,
	"lesbian": Identity, "lesbians": Identity, "bisexual": Identity, "queer": Identity,
	"trans": Identity, "transgender": Identity, "lgbt": Identity, "lgbtq": Identity,
	"disabled": Identity, "autistic": Identity, "immigrant": Identity, "immigrants": Identity,
	"refugee": Identity, "refugees": Identity, "foreigner": Identity, "foreigners": Identity,
	"race": Identity, "minorities": Identity, "migrants": Identity, "migrant": Identity,
	// Address.
	"you": Second, "your": Second, "youre": Second, "you're": Second, "ur": Second,
	"u": Second, "yourself": Second, "ya": Second, "yall": Second, "y'all": Second,
	"he": Third, "she": Third, "they": Third, "he's": Third, "she's": Third, "they're": Third,
	"him": Third, "her": Third, "them": Third, "his": Third, "their": Third,
}

var suffixes = []string{"s", "es", "ed", "ing", "er", "ers", "y"}

// Resolve returns the listed word that a word with '*' standing for hidden
// letters spells ("c*nt", "sh**"), when exactly one strong word of that
// length fits; otherwise it returns word unchanged.
func Resolve(word string) string {
	if strings.IndexByte(word, '*') < 0 || len(word) > 16 {
		return word
	}
	found := ""
	for _, w := range byLen[len(word)] {
		if fits(word, w) {
			if found != "" {
				return word
			}
			found = w
		}
	}
	if found == "" {
		return word
	}
	return found
}

func fits(pattern, w string) bool {
	hidden := 0
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '*' {
			hidden++
			continue
		}
		if pattern[i] != w[i] {
			return false
		}
	}
	return hidden < len(pattern)-1
}

// byLen lists the strong words (swearing and slurs) by length, for Resolve.
var byLen = func() map[int][]string {
	m := map[int][]string{}
	add := func(w string, c Class) {
		if c&(Swear|Slur) != 0 && strings.IndexByte(w, '*') < 0 {
			m[len(w)] = append(m[len(w)], w)
		}
	}
	for w, c := range words {
		add(w, c)
	}
	for _, r := range roots {
		add(r.root, r.class)
	}
	for _, ws := range m {
		sort.Strings(ws)
	}
	return m
}()

// Of returns the classes of one normalised word (textseg's Token.Plain).
func Of(word string) Class {
	if strings.IndexByte(word, '*') >= 0 {
		word = Resolve(word)
	}
	if c, ok := words[word]; ok {
		return c
	}
	for _, s := range suffixes {
		if len(word) > len(s)+2 && strings.HasSuffix(word, s) {
			if c, ok := words[word[:len(word)-len(s)]]; ok && c&(Second|Third|Identity) == 0 {
				return c
			}
		}
	}
	var c Class
	if len(word) >= 3 {
		c = rootClass(word)
		if c == 0 {
			if s := squeeze(word); s != word {
				return Of(s)
			}
		}
	}
	return c
}

// squeeze cuts every run of a repeated letter to one, for spellings
// stretched past textseg's cut to two ("shhiit"). It returns w unchanged
// unless the squeezed word is known.
func squeeze(w string) string {
	var buf [64]byte
	if len(w) > len(buf) {
		return w
	}
	out := buf[:0]
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			continue
		}
		out = append(out, w[i])
	}
	if len(out) == len(w) {
		return w
	}
	if _, ok := words[string(out)]; ok || rootClass(out) != 0 {
		return string(out)
	}
	return w
}

// rootsByFirst indexes roots by their first byte.
var rootsByFirst = func() (t [256][]int) {
	for i, r := range roots {
		t[r.root[0]] = append(t[r.root[0]], i)
	}
	return t
}()

// rootClass returns the classes of the roots found inside word.
func rootClass[S ~string | ~[]byte](word S) Class {
	var c Class
	for i := 0; i+2 < len(word); i++ {
		for _, k := range rootsByFirst[word[i]] {
			r := roots[k].root
			if len(word)-i >= len(r) && string(word[i:i+len(r)]) == r {
				c |= roots[k].class
			}
		}
	}
	return c
}
