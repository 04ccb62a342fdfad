package warn

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/negation"
	"github.com/forewarn/forewarn/textseg"
)

// A lexicon file is plain UTF-8 text, read line by line:
//
//	# a comment
//	[topic drug-use]            phrases that name a topic, one per line:
//	0.8 ketamine                  weight (0..1) then the words
//	[support pregnancy-loss]    phrases that add to a topic already found
//	0.3 (delivery|funeral)        but never raise it on their own
//	[innocent]                  phrases whose words never count for any
//	killing it                    topic ("killing it", "drug store")
//	[negation]                  words that cancel a hit shortly after them,
//	free                          beyond package negation's, which every
//	                              lexicon starts with
//	[context death -> child-death]  a hit of the first topic becomes the
//	baby                            second when one of these words is near
//	[referents death child-death]   hits of these topics that name someone
//	                                another topic is about move to it
//	[vivid]                     words that make a passage vivid
//	screamed
//
// Words are matched on normalised tokens (lower case, disguises undone, a
// trailing possessive 's dropped). "(a|b|)" expands to alternatives, an
// empty alternative making the group optional; groups may sit inside a
// word ("miscarr(y|ied|iage)"). NAME matches a capitalised word and
// remembers it as the one the topic is about; POSS matches a possessive
// ("her", "Jack's").

// Special pattern elements.
const (
	elemName = 1<<32 - 1 - iota
	elemPoss
)

// maxExpansions bounds how many phrases one line may expand to.
const maxExpansions = 4096

type kind uint8

const (
	kindTopic kind = iota
	kindSupport
	kindInnocent
)

type phrase struct {
	elems  []uint32
	topic  int // index into Taxonomy; unused for innocent phrases
	weight float64
	kind   kind
	name   int // position of the NAME element, or -1
}

type contextRule struct {
	from, to int
	words    map[uint32]bool
}

// Lexicon is a compiled phrase lexicon: a trie over token ids, so that
// matching costs about one lookup per token whatever the number of
// phrases. It is read-only after compiling and safe for concurrent use.
type Lexicon struct {
	vocab     map[string]uint32
	nodes     []node
	edges     map[uint64]int32 // node<<32 | token id -> child node
	phrases   []phrase
	negators  map[uint32]bool
	vivid     map[uint32]bool
	contexts  []contextRule
	referents []bool // by topic
	possWords map[uint32]bool
	// flags holds, per token id, the negation, vivid and possessive bits,
	// so that the hot loop reads a slice instead of maps.
	flags []uint8
	// roots holds, per token id, the trie's child of the root for it (0
	// when no phrase starts with it): every token starts a walk from the
	// root, and a slice spares each one a lookup in edges.
	roots []int32
}

// node is a trie node.
type node struct {
	name, poss int32   // children for NAME and POSS, 0 when none
	ends       []int32 // phrases that end here
	// kids holds the children by token id, sorted by id: the same as
	// edges, read without hashing (most nodes have a child or two).
	kids []edge
}

// edge is a child of a trie node: the node reached by token id.
type edge struct {
	id    uint32
	child int32
}

// child returns the child of n for token id, or 0.
func (n *node) child(id uint32) int32 {
	k := n.kids
	if len(k) > 8 {
		i, ok := slices.BinarySearchFunc(k, id, func(e edge, id uint32) int { return cmp.Compare(e.id, id) })
		if !ok {
			return 0
		}
		return k[i].child
	}
	for _, e := range k {
		if e.id == id {
			return e.child
		}
	}
	return 0
}

const (
	flagNegator = 1 << iota
	flagVivid
	flagPoss
)

// insert adds phrase pi to the trie.
func (l *Lexicon) insert(pi int32) {
	n := int32(0)
	for _, e := range l.phrases[pi].elems {
		var next int32
		switch e {
		case elemName:
			next = l.nodes[n].name
		case elemPoss:
			next = l.nodes[n].poss
		default:
			next = l.edges[uint64(n)<<32|uint64(e)]
		}
		if next == 0 {
			next = int32(len(l.nodes))
			l.nodes = append(l.nodes, node{})
			switch e {
			case elemName:
				l.nodes[n].name = next
			case elemPoss:
				l.nodes[n].poss = next
			default:
				l.edges[uint64(n)<<32|uint64(e)] = next
				kids := l.nodes[n].kids
				i, _ := slices.BinarySearchFunc(kids, uint32(e), func(x edge, id uint32) int { return cmp.Compare(x.id, id) })
				l.nodes[n].kids = slices.Insert(kids, i, edge{uint32(e), next})
			}
		}
		n = next
	}
	l.nodes[n].ends = append(l.nodes[n].ends, pi)
}

// flagsOf returns the flags of token id.
func (l *Lexicon) flagsOf(id uint32) uint8 {
	if int(id) >= len(l.flags) {
		return 0
	}
	return l.flags[id]
}

// buildFlags fills flags and roots from the compiled lexicon.
func (l *Lexicon) buildFlags() {
	f := make([]uint8, len(l.vocab)+1)
	for id := range l.negators {
		f[id] |= flagNegator
	}
	for id := range l.vivid {
		f[id] |= flagVivid
	}
	for id := range l.possWords {
		f[id] |= flagPoss
	}
	l.flags = f
	r := make([]int32, len(l.vocab)+1)
	for id := range r {
		r[id] = l.edges[uint64(id)]
	}
	l.roots = r
}

// NewLexicon returns an empty lexicon; Add fills it.
func NewLexicon() *Lexicon {
	l := &Lexicon{
		vocab:     map[string]uint32{},
		nodes:     []node{{}},
		edges:     map[uint64]int32{},
		negators:  map[uint32]bool{},
		vivid:     map[uint32]bool{},
		referents: make([]bool, len(Taxonomy)),
		possWords: map[uint32]bool{},
	}
	for _, w := range []string{"his", "her", "their", "my", "our", "your", "its"} {
		l.possWords[l.intern(w)] = true
	}
	for _, w := range negation.Words() {
		l.negators[l.intern(w)] = true
	}
	l.buildFlags()
	return l
}

// intern returns the id of a token key, adding it if new. Ids start at 1;
// 0 stands for a word the lexicon does not know.
func (l *Lexicon) intern(k string) uint32 {
	if id, ok := l.vocab[k]; ok {
		return id
	}
	id := uint32(len(l.vocab) + 1)
	l.vocab[k] = id
	return id
}

// key is the form a token is matched on: its plain form without a trailing
// possessive.
func key(plain string) string {
	if n := len(plain); n > 2 && plain[n-2:] == "'s" {
		return plain[:n-2]
	}
	if n := len(plain); n > 1 && plain[n-1] == '\'' {
		return plain[:n-1]
	}
	return plain
}

// Add reads lexicon lines from r and adds them. name labels errors, which
// wrap forewarn.ErrInvalid.
func (l *Lexicon) Add(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	section, args := "", []string(nil)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if i := strings.Index(s, "#"); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		if s == "" {
			continue
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%s:%d: %s: %w", name, line, fmt.Sprintf(format, a...), forewarn.ErrInvalid)
		}
		if strings.HasPrefix(s, "[") {
			if !strings.HasSuffix(s, "]") {
				return bad("unclosed section header")
			}
			f := strings.Fields(s[1 : len(s)-1])
			if len(f) == 0 {
				return bad("empty section header")
			}
			section, args = f[0], f[1:]
			if err := l.checkSection(section, args); err != nil {
				return bad("%v", err)
			}
			continue
		}
		if err := l.addEntry(section, args, s); err != nil {
			return bad("%v", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	l.buildFlags()
	return nil
}

func (l *Lexicon) checkSection(section string, args []string) error {
	topics := func(ids []string) error {
		for _, id := range ids {
			if _, ok := topicIndex[id]; !ok {
				return fmt.Errorf("unknown topic %q", id)
			}
		}
		return nil
	}
	switch section {
	case "topic", "support":
		if len(args) != 1 {
			return fmt.Errorf("[%s] takes one topic id", section)
		}
		return topics(args)
	case "innocent", "negation", "vivid":
		if len(args) != 0 {
			return fmt.Errorf("[%s] takes no arguments", section)
		}
	case "context":
		if len(args) != 3 || args[1] != "->" {
			return fmt.Errorf("[context] reads [context FROM -> TO]")
		}
		if err := topics([]string{args[0], args[2]}); err != nil {
			return err
		}
		l.contexts = append(l.contexts, contextRule{from: topicIndex[args[0]], to: topicIndex[args[2]], words: map[uint32]bool{}})
	case "referents":
		if len(args) == 0 {
			return fmt.Errorf("[referents] needs topic ids")
		}
		if err := topics(args); err != nil {
			return err
		}
		for _, id := range args {
			l.referents[topicIndex[id]] = true
		}
	default:
		return fmt.Errorf("unknown section %q", section)
	}
	return nil
}

func (l *Lexicon) addEntry(section string, args []string, s string) error {
	if section == "" {
		return fmt.Errorf("entry before any section")
	}
	weight := 0.0
	if section == "topic" || section == "support" {
		f, rest, ok := strings.Cut(s, " ")
		w, err := strconv.ParseFloat(f, 64)
		if !ok || err != nil || w <= 0 || w > 1 {
			return fmt.Errorf("want a weight in (0, 1] and a phrase, got %q", s)
		}
		weight, s = w, strings.TrimSpace(rest)
	}
	exps, err := expand(s)
	if err != nil {
		return err
	}
	for _, e := range exps {
		elems, name := l.compile(e)
		if len(elems) == 0 {
			continue
		}
		switch section {
		case "topic", "support", "innocent":
			p := phrase{elems: elems, weight: weight, name: name, topic: -1}
			switch section {
			case "topic":
				p.kind, p.topic = kindTopic, topicIndex[args[0]]
			case "support":
				p.kind, p.topic = kindSupport, topicIndex[args[0]]
			default:
				p.kind = kindInnocent
			}
			l.phrases = append(l.phrases, p)
			l.insert(int32(len(l.phrases) - 1))
		default:
			if len(elems) != 1 || elems[0] >= elemPoss {
				return fmt.Errorf("[%s] takes single words, got %q", section, e)
			}
			switch section {
			case "negation":
				l.negators[elems[0]] = true
			case "vivid":
				l.vivid[elems[0]] = true
			case "context":
				l.contexts[len(l.contexts)-1].words[elems[0]] = true
			}
		}
	}
	return nil
}

// compile turns one expanded phrase into element ids.
func (l *Lexicon) compile(s string) (elems []uint32, name int) {
	name = -1
	for _, t := range textseg.Tokens(s) {
		switch s[t.Start:t.End] {
		case "NAME":
			name = len(elems)
			elems = append(elems, elemName)
		case "POSS":
			elems = append(elems, elemPoss)
		default:
			elems = append(elems, l.intern(key(t.Plain)))
		}
	}
	return elems, name
}

// expand expands "(a|b|)" groups, which may nest.
func expand(s string) ([]string, error) {
	out, err := expandSeq(s)
	if err != nil {
		return nil, fmt.Errorf("%v in %q", err, s)
	}
	return out, nil
}

// expandSeq expands a sequence of text and groups.
func expandSeq(s string) ([]string, error) {
	out := []string{""}
	for len(s) > 0 {
		open := strings.IndexAny(s, "()|")
		if open < 0 {
			for i := range out {
				out[i] += s
			}
			break
		}
		if s[open] != '(' {
			return nil, fmt.Errorf("unbalanced group")
		}
		end := closing(s, open)
		if end < 0 {
			return nil, fmt.Errorf("unclosed group")
		}
		var alts []string
		for _, a := range splitTop(s[open+1 : end]) {
			e, err := expandSeq(a)
			if err != nil {
				return nil, err
			}
			alts = append(alts, e...)
		}
		if len(out)*len(alts) > maxExpansions {
			return nil, fmt.Errorf("too many expansions")
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+s[:open]+a)
			}
		}
		out = next
		s = s[end+1:]
	}
	return out, nil
}

// closing returns the index of the ')' matching the '(' at open, or -1.
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitTop splits s at the '|' that are not inside a group.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// isCapitalised reports whether the original word starts with an upper-case
// letter.
func isCapitalised(w string) bool {
	if w == "" {
		return false
	}
	if c := w[0]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
