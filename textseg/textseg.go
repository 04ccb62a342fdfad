// Package textseg turns raw user text into normalised word tokens that keep
// the byte offsets of the original text.
//
// Normalisation folds what people do to get past filters back onto plain
// words: Unicode compatibility forms (NFKC), case, zero-width and control
// characters, accents on Latin letters, look-alike letters from other
// scripts, letters repeated for emphasis, letters split by spaces, dots or
// asterisks, and l33t digits and symbols. Every token records where it came
// from, so any score can point back at the words that caused it.
package textseg

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Token is one word of the original text.
type Token struct {
	// Text is the normalised word: compatibility-folded, lower-cased,
	// look-alikes mapped to Latin, runs of a letter longer than two cut to two.
	Text string
	// Plain is Text with disguises undone: l33t digits and symbols mapped to
	// letters and letter-separating asterisks removed. It equals Text when
	// nothing was disguised.
	Plain string
	// Start and End are the byte offsets [Start, End) of the word in the
	// original text; both sit on UTF-8 boundaries.
	Start, End int
}

// Segmenter splits text into tokens. Its zero value is ready to use. A
// Segmenter reuses its buffers between calls, so it is not safe for
// concurrent use; use one per goroutine.
type Segmenter struct {
	buf   []byte
	runes []rune
	spans []rawToken
	// singles counts the one-letter tokens in a row at the end of spans,
	// and merge records whether three ever came in a row: without such a
	// run mergeSingles has nothing to join.
	singles int
	merge   bool
}

// rawToken is a token while the text is read: offsets into the original
// text and into the buffer of normalised forms (int32 keeps the slice of
// a long text's tokens half the size; a text is far below 2 GB).
type rawToken struct {
	start, end  int32 // original offsets
	text, plain [2]int32
	single      bool // one letter or digit long
}

// Tokens returns the tokens of text.
func Tokens(text string) []Token {
	var s Segmenter
	return s.Append(nil, text)
}

// Append appends the tokens of text to dst and returns it.
func (s *Segmenter) Append(dst []Token, text string) []Token {
	// The forms of the words take about as many bytes as the text: room
	// for them up front spares a long text the copies of growing by
	// append, which grows a large slice by a quarter at a time.
	s.buf = slices.Grow(s.buf[:0], len(text))
	s.spans = s.spans[:0]
	s.singles, s.merge = 0, false
	i := 0
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf && asciiSpace[c] {
			// The common separators (white space, punctuation), without
			// decoding.
			i++
			continue
		}
		r, size := decode(text, i)
		if !isWordRune(r) && !(isJoiner(r) && startsWord(text, i+size)) {
			if r >= utf8.RuneSelf && isEmoji(r) {
				// Emoji carry tone ("🖕", "😂"): each is a token of its own.
				s.addEmoji(text, i, i+size, r)
			}
			i += size
			continue
		}
		// Scan a word: letters, digits and marks, with joiners (l33t
		// symbols, apostrophes, zero-width characters) kept only where a
		// word character follows them.
		start := i
		end := i
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf && asciiWord[c] {
				// The common case, without decoding.
				i++
				end = i
				continue
			}
			r, size = decode(text, i)
			if isWordRune(r) || isInvisible(r) {
				i += size
				if !isInvisible(r) {
					end = i
				}
				continue
			}
			if isJoiner(r) && startsWord(text, i+size) {
				i += size
				continue
			}
			break
		}
		if end > start {
			if start > 0 && text[start-1] == '#' {
				s.addHashtag(text, start, end)
			} else {
				s.addToken(text, start, end)
			}
		}
		if i == start {
			i += size
		}
	}
	if s.merge {
		s.mergeSingles(text)
	}
	out := string(s.buf)
	dst = slices.Grow(dst, len(s.spans))
	for _, t := range s.spans {
		dst = append(dst, Token{
			Text:  out[t.text[0]:t.text[1]],
			Plain: out[t.plain[0]:t.plain[1]],
			Start: int(t.start),
			End:   int(t.end),
		})
	}
	return dst
}

// doubled returns s with room for one more element, doubling its capacity
// when it is full: append grows a large slice by a quarter at a time, so a
// long text would copy its tokens about four times instead of once.
func doubled[E any](s []E) []E {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, len(s)+1)
}

// isEmoji reports pictographic symbols, leaving out skin-tone modifiers,
// which only change the emoji before them.
func isEmoji(r rune) bool {
	return unicode.Is(unicode.So, r) && !(0x1F3FB <= r && r <= 0x1F3FF)
}

// addEmoji adds a one-rune token for an emoji.
func (s *Segmenter) addEmoji(text string, start, end int, r rune) {
	t := rawToken{start: int32(start), end: int32(end)}
	t.text[0] = int32(len(s.buf))
	s.buf = utf8.AppendRune(s.buf, r)
	t.text[1] = int32(len(s.buf))
	t.plain = t.text
	s.keep(t)
}

// addHashtag splits a hashtag's words at case changes ("#LockThemUp" is
// "lock", "them", "up"), because hashtags are phrases written without
// spaces. All-caps and all-lower hashtags stay one word.
func (s *Segmenter) addHashtag(text string, start, end int) {
	w := text[start:end]
	if !isASCII(w) {
		s.addToken(text, start, end)
		return
	}
	from := 0
	for i := 1; i < len(w); i++ {
		c, p := w[i], w[i-1]
		upper := 'A' <= c && c <= 'Z'
		boundary := upper && 'a' <= p && p <= 'z' ||
			upper && 'A' <= p && p <= 'Z' && i+1 < len(w) && 'a' <= w[i+1] && w[i+1] <= 'z' && i-from > 1 ||
			isDigitByte(c) != isDigitByte(p) && isAlpha(c) != isAlpha(p) && isAlnum(c) && isAlnum(p)
		if boundary {
			s.addToken(text, start+from, start+i)
			from = i
		}
	}
	s.addToken(text, start+from, end)
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool     { return isAlpha(c) || isDigitByte(c) }

// decode returns the rune at i, treating an invalid byte as U+FFFD of size 1.
func decode(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// startsWord reports whether a word rune follows position i, skipping
// further joiners (so "f**k" stays one word but "hi!!" ends at "i").
func startsWord(text string, i int) bool {
	for i < len(text) {
		r, size := decode(text, i)
		if isWordRune(r) {
			return true
		}
		if !isJoiner(r) && !isInvisible(r) {
			return false
		}
		i += size
	}
	return false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.IsNumber(r)
}

// isJoiner reports symbols that people put inside words as disguise or
// grammar: l33t symbols and apostrophes.
func isJoiner(r rune) bool {
	switch r {
	case '@', '$', '*', '!', '\'', '’', '|', '+':
		return true
	}
	return false
}

// isInvisible reports zero-width and formatting characters, which are
// dropped wherever they appear.
func isInvisible(r rune) bool {
	if r < utf8.RuneSelf {
		return false
	}
	return unicode.Is(unicode.Cf, r) || r == 0x034F || (0xFE00 <= r && r <= 0xFE0F)
}

// addToken normalises text[start:end] into the buffer.
func (s *Segmenter) addToken(text string, start, end int) {
	if isASCII(text[start:end]) {
		s.addASCII(text, start, end)
		return
	}
	rs := s.runes[:0]
	hasLatin, allLA := false, true
	for i := start; i < end; {
		r, size := decode(text, i)
		i += size
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if 'a' <= r && r <= 'z' {
				hasLatin = true
			}
			rs = append(rs, r)
			continue
		}
		if isInvisible(r) || unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == '’' {
			rs = append(rs, '\'')
			continue
		}
		rs = appendFolded(rs, r, &hasLatin, &allLA)
	}
	// Map look-alikes only where the word is Latin already or made wholly of
	// look-alikes, so that real Cyrillic or Greek words are left alone.
	mapLA := hasLatin || allLA
	// Trim joiners left at the edges, except a leading '@' or '$' that
	// stands for a letter ("@ss", "$hit").
	for len(rs) > 0 && isJoiner(rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	for len(rs) > 0 && isJoiner(rs[0]) && rs[0] != '@' && rs[0] != '$' {
		rs = rs[1:]
	}
	if len(rs) == 0 {
		s.runes = rs
		return
	}
	t := rawToken{start: int32(start), end: int32(end)}
	t.text[0] = int32(len(s.buf))
	var prev rune = -1
	run := 0
	letters := 0
	for _, r := range rs {
		if mapLA && r >= utf8.RuneSelf {
			if m, ok := lookAlike[r]; ok {
				r = m
			}
		}
		if r == prev {
			run++
			if run > 2 && !('0' <= r && r <= '9') {
				continue
			}
		} else {
			prev, run = r, 1
		}
		if r != '\'' {
			letters++
		}
		s.buf = utf8.AppendRune(s.buf, r)
	}
	t.text[1] = int32(len(s.buf))
	t.single = letters == 1 && !isJoiner(prev)
	s.runes = rs
	txt := s.buf[t.text[0]:t.text[1]]
	s.finish(t, hasLetter(txt) && needsPlain(txt))
}

// addASCII is addToken for the common all-ASCII word, without decoding.
func (s *Segmenter) addASCII(text string, start, end int) {
	w := text[start:end]
	for len(w) > 0 && isJoiner(rune(w[len(w)-1])) {
		w = w[:len(w)-1]
	}
	for len(w) > 0 && isJoiner(rune(w[0])) && w[0] != '@' && w[0] != '$' {
		w = w[1:]
	}
	if len(w) == 0 {
		return
	}
	t := rawToken{start: int32(start), end: int32(end)}
	n := len(s.buf)
	t.text[0] = int32(n)
	s.buf = slices.Grow(s.buf, len(w))
	buf := s.buf[:n+len(w)]
	var prev byte
	run, letters := 0, 0
	// cls gathers asciiClass of the word's bytes: a lower-case letter to
	// anchor l33t, a l33t character or an asterisk to undo (see finish).
	var cls uint8
	for i := 0; i < len(w); i++ {
		c := asciiLower[w[i]]
		if c == prev {
			run++
			if run > 2 && !('0' <= c && c <= '9') {
				continue
			}
		} else {
			prev, run = c, 1
		}
		if c != '\'' {
			letters++
		}
		cls |= asciiClass[c]
		buf[n] = c
		n++
	}
	s.buf = buf[:n]
	t.text[1] = int32(n)
	t.single = letters == 1 && !isJoiner(rune(prev))
	s.finish(t, cls == classLetter|classDisguise)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// finish sets the Plain form of t, whose Text is in the buffer, and keeps
// t. plain says whether the Text needs one of its own: it has letters to
// anchor l33t (hasLetter) and l33t or asterisks to undo (needsPlain).
func (s *Segmenter) finish(t rawToken, plain bool) {
	if plain {
		txt := s.buf[t.text[0]:t.text[1]]
		t.plain[0] = int32(len(s.buf))
		split := splitBy(txt)
		for k := 0; k < len(txt); k++ {
			c := txt[k]
			if c == '*' && isSplitStar(txt, k) || split != 0 && c == split {
				continue
			}
			if m := leet[c]; m != 0 && c < utf8.RuneSelf {
				c = m
			}
			s.buf = append(s.buf, c)
		}
		t.plain[1] = int32(len(s.buf))
	} else {
		t.plain = t.text
	}
	s.keep(t)
}

// keep appends t to the tokens, noting runs of one-letter tokens for
// mergeSingles.
func (s *Segmenter) keep(t rawToken) {
	if t.single {
		s.singles++
		s.merge = s.merge || s.singles >= 3
	} else {
		s.singles = 0
	}
	s.spans = append(doubled(s.spans), t)
}

// appendFolded appends the NFKC, case-folded, accent-stripped form of a
// non-ASCII rune.
func appendFolded(rs []rune, r rune, hasLatin, allLA *bool) []rune {
	var tmp [utf8.UTFMax * 4]byte
	n := utf8.EncodeRune(tmp[:], r)
	folded := norm.NFKD.Append(nil, tmp[:n]...)
	for _, f := range string(folded) {
		if unicode.Is(unicode.Mn, f) || isInvisible(f) {
			continue
		}
		switch f {
		case 'ß':
			rs = append(rs, 's', 's')
			*hasLatin = true
			continue
		case 'ς':
			f = 'σ'
		}
		f = unicode.ToLower(f)
		if f < utf8.RuneSelf {
			if 'a' <= f && f <= 'z' {
				*hasLatin = true
			}
		} else if _, ok := lookAlike[f]; !ok && unicode.IsLetter(f) {
			*allLA = false
		}
		if unicode.Is(unicode.Latin, f) {
			*hasLatin = true
		}
		rs = append(rs, f)
	}
	return rs
}

func hasLetter(b []byte) bool {
	for _, c := range b {
		if 'a' <= c && c <= 'z' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func needsPlain(b []byte) bool {
	for _, c := range b {
		if leet[c] != 0 || c == '*' {
			return true
		}
	}
	return false
}

// splitBy returns the symbol that separates single letters throughout the
// word, as '!' in "f!u!c!k", or 0 when the word is not spelt that way.
func splitBy(b []byte) byte {
	if len(b) < 5 || len(b)%2 == 0 || !isJoiner(rune(b[1])) || b[1] == '\'' {
		return 0
	}
	for k := 0; k < len(b); k++ {
		if k%2 == 1 && b[k] != b[1] || k%2 == 0 && !isAlnum(b[k]) {
			return 0
		}
	}
	return b[1]
}

// isSplitStar reports whether the '*' at k separates single letters, as in
// "f*u*c*k", rather than standing for hidden letters, as in "f**k".
func isSplitStar(b []byte, k int) bool {
	if k == 0 || k+1 >= len(b) || b[k-1] == '*' || b[k+1] == '*' {
		return false
	}
	left := k == 1 || b[k-2] == '*'
	right := k+2 >= len(b) || b[k+2] == '*'
	return left && right
}

// mergeSingles joins runs of three or more one-letter tokens separated by a
// single space, dot, dash, underscore or asterisk ("f u c k", "s.h.i.t")
// into one token.
func (s *Segmenter) mergeSingles(text string) {
	out := s.spans[:0]
	for i := 0; i < len(s.spans); {
		j := i + 1
		if s.spans[i].single && j < len(s.spans) && int(s.spans[i].end) < len(text) {
			// The same separator must join the whole run, so "s.h.i.t I"
			// does not swallow the next word.
			sep := text[s.spans[i].end]
			for j < len(s.spans) && s.spans[j].single && s.spans[j].start-s.spans[j-1].end == 1 && text[s.spans[j-1].end] == sep && isSplitter(sep) {
				j++
			}
		}
		if j-i < 3 {
			out = append(out, s.spans[i])
			i++
			continue
		}
		m := rawToken{start: s.spans[i].start, end: s.spans[j-1].end}
		m.text[0] = int32(len(s.buf))
		for _, t := range s.spans[i:j] {
			s.buf = append(s.buf, s.buf[t.text[0]:t.text[1]]...)
		}
		m.text[1] = int32(len(s.buf))
		m.plain[0] = int32(len(s.buf))
		for _, t := range s.spans[i:j] {
			s.buf = append(s.buf, s.buf[t.plain[0]:t.plain[1]]...)
		}
		m.plain[1] = int32(len(s.buf))
		out = append(out, m)
		i = j
	}
	s.spans = out
}

func isSplitter(c byte) bool {
	switch c {
	case ' ', '.', '-', '_', '*':
		return true
	}
	return false
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// asciiLower maps ASCII bytes to lower case.
var asciiLower = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// Classes of lower-case ASCII bytes for finish: a letter anchors l33t,
// a l33t character or an asterisk disguises (hasLetter, needsPlain).
const (
	classLetter = 1 << iota
	classDisguise
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		if 'a' <= c && c <= 'z' {
			t[c] |= classLetter
		}
		if leet[c] != 0 || c == '*' {
			t[c] |= classDisguise
		}
	}
	return t
}()

// asciiSpace holds the ASCII characters that neither belong to a word nor
// join one (isJoiner): white space and most punctuation, which Append
// steps over without decoding.
var asciiSpace = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = !asciiWord[c] && !isJoiner(rune(c))
	}
	return t
}()

// leet maps l33t digits and symbols to the letters they stand for.
var leet = [256]byte{
	'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b',
	'@': 'a', '$': 's', '!': 'i', '|': 'l', '+': 't',
}

// lookAlike maps lower-case letters of other scripts that look like Latin
// letters onto those letters.
var lookAlike = map[rune]rune{
	// Cyrillic
	'а': 'a', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o',
	'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ї': 'i', 'ј': 'j',
	'ѕ': 's', 'ԁ': 'd', 'ӏ': 'l', 'ɡ': 'g', 'ԛ': 'q', 'ԝ': 'w', 'ѡ': 'w', 'һ': 'h',
	// Greek
	'α': 'a', 'β': 'b', 'γ': 'y', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u',
	'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w', 'σ': 'o',
	// Latin variants that NFKC leaves alone
	'ı': 'i', 'ȷ': 'j', 'ɑ': 'a', 'ɩ': 'i', 'ʏ': 'y', 'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c',
	'ᴅ': 'd', 'ᴇ': 'e', 'ɢ': 'g', 'ʜ': 'h', 'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l',
	'ᴍ': 'm', 'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p', 'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u',
	'ᴠ': 'v', 'ᴡ': 'w', 'ᴢ': 'z', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ħ': 'h',
}
