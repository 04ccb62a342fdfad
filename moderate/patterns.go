package moderate

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/profanity"
	"github.com/forewarn/forewarn/textseg"
)

// maxGap is how many words a "*" in a pattern may stand for: up to three,
// as patterns.txt documents to publishers who write patterns, enough for
// a short noun phrase ("her poor little baby") between two fixed words.
const maxGap = 3

type elemKind uint8

const (
	elWords    elemKind = iota // one of words
	elOptional                 // optionally one of words
	elGap                      // up to maxGap words of any kind
	elInsult                   // a word classed as an insult or slur
	elSlur                     // a word classed as a slur
)

// elem is one position of a pattern.
type elem struct {
	kind  elemKind
	words []uint32
}

func (e *elem) has(id uint32) bool {
	for _, w := range e.words {
		if w == id {
			return true
		}
	}
	return false
}

// pattern is a compiled phrase pattern of one category.
type pattern struct {
	cat   int
	elems []elem
}

// matcher holds compiled patterns indexed by the words they can start with.
type matcher struct {
	ids      map[string]uint32 // interned words; 0 means unknown
	macros   map[string][]uint32
	pats     []pattern
	byFirst  map[uint32][]int32
	anyFirst []int32 // patterns whose first element is not a plain word set
}

func newMatcher() *matcher {
	return &matcher{ids: map[string]uint32{}, macros: map[string][]uint32{}, byFirst: map[uint32][]int32{}}
}

// wordKey is the form patterns and tokens are compared in: the token's
// Plain form without apostrophes, so that "it's" and "its" meet.
func wordKey(dst []byte, plain string) []byte {
	dst = dst[:0]
	for i := 0; i < len(plain); i++ {
		if plain[i] != '\'' {
			dst = append(dst, plain[i])
		}
	}
	return dst
}

func (m *matcher) intern(w string) uint32 {
	w = string(wordKey(nil, strings.ToLower(w)))
	if id, ok := m.ids[w]; ok {
		return id
	}
	id := uint32(len(m.ids) + 1)
	m.ids[w] = id
	return id
}

// addText reads pattern text in the format of patterns.txt. cats maps a
// category name to its index.
func (m *matcher) addText(text, name string, cats map[string]int) error {
	sc := bufio.NewScanner(strings.NewReader(text))
	cat := -1
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' && line[len(line)-1] == ']' {
			c, ok := cats[line[1:len(line)-1]]
			if !ok {
				return fmt.Errorf("%s:%d: unknown category %s: %w", name, n, line, forewarn.ErrInvalid)
			}
			cat = c
			continue
		}
		if line[0] == '@' && strings.Contains(line, "=") {
			k, v, _ := strings.Cut(line, "=")
			var ws []uint32
			for _, w := range strings.Split(strings.TrimSpace(v), "|") {
				ws = append(ws, m.intern(w))
			}
			m.macros[strings.TrimSpace(k)] = ws
			continue
		}
		if cat < 0 {
			return fmt.Errorf("%s:%d: pattern before any [category]: %w", name, n, forewarn.ErrInvalid)
		}
		if err := m.addPattern(cat, line); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	return sc.Err()
}

// addPattern compiles one pattern line.
func (m *matcher) addPattern(cat int, line string) error {
	var p pattern
	p.cat = cat
	for _, f := range strings.Fields(line) {
		var e elem
		switch {
		case f == "*":
			e.kind = elGap
		case f == "@insult":
			e.kind = elInsult
		case f == "@slur":
			e.kind = elSlur
		case f[0] == '@' && !strings.Contains(f, "|"):
			ws, ok := m.macros[f]
			if !ok {
				return fmt.Errorf("unknown word set %s: %w", f, forewarn.ErrInvalid)
			}
			e.words = ws
		case f[0] == '[' && f[len(f)-1] == ']':
			e.kind = elOptional
			f = f[1 : len(f)-1]
			fallthrough
		default:
			for _, w := range strings.Split(f, "|") {
				if w == "" {
					return fmt.Errorf("empty word in %q: %w", line, forewarn.ErrInvalid)
				}
				if w[0] == '@' {
					ws, ok := m.macros[w]
					if !ok {
						return fmt.Errorf("unknown word set %s: %w", w, forewarn.ErrInvalid)
					}
					e.words = append(e.words, ws...)
					continue
				}
				e.words = append(e.words, m.intern(w))
			}
		}
		p.elems = append(p.elems, e)
	}
	if len(p.elems) == 0 || p.elems[0].kind == elGap {
		return fmt.Errorf("pattern %q must start with a word: %w", line, forewarn.ErrInvalid)
	}
	m.addCompiled(p)
	return nil
}

// addPhrase adds a literal phrase, such as a policy's allow or deny
// phrase, tokenised the way comments are.
func (m *matcher) addPhrase(cat int, phrase string) error {
	var p pattern
	p.cat = cat
	for _, t := range textseg.Tokens(phrase) {
		p.elems = append(p.elems, elem{words: []uint32{m.intern(t.Plain)}})
	}
	if len(p.elems) == 0 {
		return fmt.Errorf("phrase %q has no words: %w", phrase, forewarn.ErrInvalid)
	}
	m.addCompiled(p)
	return nil
}

func (m *matcher) addCompiled(p pattern) {
	i := int32(len(m.pats))
	m.pats = append(m.pats, p)
	if e := p.elems[0]; e.kind == elWords {
		for _, w := range e.words {
			m.byFirst[w] = append(m.byFirst[w], i)
		}
		return
	}
	m.anyFirst = append(m.anyFirst, i)
}

// match is one pattern found in a comment: tokens [start, end).
type match struct {
	cat        int
	start, end int
}

// find appends every pattern match of the tokens to dst, at most one per
// pattern start and category: the longest.
func (m *matcher) find(dst []match, t *tokens) []match {
	for i := range t.ids {
		for _, pi := range m.byFirst[t.ids[i]] {
			dst = m.try(dst, t, pi, i)
		}
		for _, pi := range m.anyFirst {
			dst = m.try(dst, t, pi, i)
		}
	}
	return dst
}

func (m *matcher) try(dst []match, t *tokens, pi int32, i int) []match {
	p := &m.pats[pi]
	end := m.matchAt(t, p.elems, i, t.sent[i])
	if end <= i {
		return dst
	}
	// find goes through the tokens in order, so the matches that start at
	// i are the last ones.
	for k := len(dst) - 1; k >= 0 && dst[k].start == i; k-- {
		if d := &dst[k]; d.cat == p.cat {
			d.end = max(d.end, end)
			return dst
		}
	}
	return append(dst, match{cat: p.cat, start: i, end: end})
}

// matchAt matches elems at token i within one sentence and returns the
// end token, or -1.
func (m *matcher) matchAt(t *tokens, elems []elem, i, sent int) int {
	if len(elems) == 0 {
		return i
	}
	e := &elems[0]
	n := len(t.ids)
	switch e.kind {
	case elGap:
		for k := 0; k <= maxGap && i+k <= n; k++ {
			if k > 0 && t.sent[i+k-1] != sent {
				break
			}
			if r := m.matchAt(t, elems[1:], i+k, sent); r >= 0 {
				return r
			}
		}
		return -1
	case elOptional:
		if i < n && t.sent[i] == sent && e.has(t.ids[i]) {
			if r := m.matchAt(t, elems[1:], i+1, sent); r >= 0 {
				return r
			}
		}
		return m.matchAt(t, elems[1:], i, sent)
	}
	if i >= n || t.sent[i] != sent {
		return -1
	}
	var ok bool
	switch e.kind {
	case elInsult:
		ok = t.class[i]&(profanity.Insult|profanity.Slur) != 0 && !t.soft[i]
	case elSlur:
		ok = t.class[i]&profanity.Slur != 0
	default:
		ok = e.has(t.ids[i])
	}
	if !ok {
		return -1
	}
	return m.matchAt(t, elems[1:], i+1, sent)
}
