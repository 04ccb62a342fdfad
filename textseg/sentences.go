package textseg

import (
	"unicode"
	"unicode/utf8"
)

// Span is a half-open byte range [Start, End) of the original text. Both
// ends sit on UTF-8 boundaries.
type Span struct {
	Start, End int
}

// Paragraphs returns the paragraphs of text, with surrounding white space
// trimmed and empty paragraphs skipped. When the text has blank lines,
// paragraphs are separated by them and single line breaks are soft wraps;
// otherwise every line is a paragraph, as in text copied from a web page.
func Paragraphs(text string) []Span {
	return AppendParagraphs(nil, text)
}

// AppendParagraphs appends the paragraphs of text to dst, as Paragraphs does.
func AppendParagraphs(dst []Span, text string) []Span {
	blank := hasBlankLine(text)
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '\n' {
			continue
		}
		if blank {
			// A break needs a line holding nothing but white space.
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j >= len(text) || text[j] != '\n' {
				continue
			}
		}
		dst = appendTrimmed(dst, text, start, i)
		start = i + 1
	}
	return appendTrimmed(dst, text, start, len(text))
}

// hasBlankLine reports a blank line between two lines of content.
func hasBlankLine(text string) bool {
	seen := false
	for i := 0; i < len(text); i++ {
		if !seen && !isSpace(text[i]) {
			seen = true
		}
		if !seen {
			continue
		}
		if text[i] != '\n' {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j < len(text) && text[j] == '\n' {
			for ; j < len(text); j++ {
				if !isSpace(text[j]) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// appendTrimmed appends text[start:end] without its ASCII white space, if
// anything is left.
func appendTrimmed(dst []Span, text string, start, end int) []Span {
	for start < end && isSpace(text[start]) {
		start++
	}
	for end > start && isSpace(text[end-1]) {
		end--
	}
	if end > start {
		dst = append(dst, Span{start, end})
	}
	return dst
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// Sentences returns the sentences of text. A sentence ends at '.', '!',
// '?' or '…' (with any closing quotes and brackets after it) when white
// space and then something other than a lower-case letter follow, and
// never at a known abbreviation ("Dr.", "e.g.") or a decimal point.
// Sentences never cross paragraphs.
func Sentences(text string) []Span {
	return AppendSentences(nil, text)
}

// AppendSentences appends the sentences of text to dst, as Sentences does.
func AppendSentences(dst []Span, text string) []Span {
	var paras [32]Span
	for _, p := range AppendParagraphs(paras[:0], text) {
		dst = AppendSentencesIn(dst, text, p)
	}
	return dst
}

// AppendSentencesIn appends the sentences of one paragraph of text, p being
// a span returned by Paragraphs, to dst. Callers that need both paragraphs
// and sentences use it to split the text into paragraphs once.
func AppendSentencesIn(dst []Span, text string, p Span) []Span {
	start := p.Start
	for i := p.Start; i < p.End; i++ {
		c := text[i]
		if !mayEnd[c] {
			continue
		}
		switch {
		case c == '.' || c == '!' || c == '?':
		case c == 0xE2 && i+2 < p.End && text[i+1] == 0x80 && text[i+2] == 0xA6: // …
			i += 2
		default:
			continue
		}
		// Take further terminators and closing punctuation.
		j := i + 1
		for j < p.End {
			if n := closerLen(text, j); n > 0 {
				j += n
				continue
			}
			break
		}
		if j < p.End && !isSpace(text[j]) {
			continue
		}
		if c == '.' && isAbbrev(text, start, i) {
			continue
		}
		k := j
		for k < p.End && isSpace(text[k]) {
			k++
		}
		if k < p.End && startsLower(text, k) {
			continue
		}
		dst = appendTrimmed(dst, text, start, j)
		start = j
		i = j - 1
	}
	return appendTrimmed(dst, text, start, p.End)
}

// closerLen returns the length of a terminator or closing quote or bracket
// at i, or 0.
func closerLen(text string, i int) int {
	switch text[i] {
	case '.', '!', '?', '"', '\'', ')', ']', '*', '_':
		return 1
	}
	if text[i] == 0xE2 && i+2 < len(text) && text[i+1] == 0x80 {
		switch text[i+2] {
		case 0x9D, 0x99, 0xA6: // ” ’ …
			return 3
		}
	}
	return 0
}

func startsLower(text string, i int) bool {
	c := text[i]
	if c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z'
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLower(r)
}

// isAbbrev reports whether the '.' at i closes an abbreviation or an
// initial rather than a sentence: a single letter ("J."), a known title,
// or a dotted form such as "e.g" or "U.S".
func isAbbrev(text string, start, i int) bool {
	w := i
	for w > start && isWordByte(text[w-1]) {
		w--
	}
	word := text[w:i]
	if len(word) == 0 {
		return false
	}
	if len(word) == 1 && isLetterByte(word[0]) {
		return true
	}
	if w > start && text[w-1] == '.' {
		return true // "U.S." or "e.g."
	}
	if len(word) > 4 {
		return false
	}
	var low [4]byte
	for k := 0; k < len(word); k++ {
		c := word[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[k] = c
	}
	_, ok := abbrevs[string(low[:len(word)])]
	return ok
}

func isWordByte(c byte) bool { return isLetterByte(c) || '0' <= c && c <= '9' }

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

var abbrevs = map[string]struct{}{
	"mr": {}, "mrs": {}, "ms": {}, "dr": {}, "prof": {}, "st": {}, "sr": {}, "jr": {},
	"vs": {}, "etc": {}, "inc": {}, "ltd": {}, "co": {}, "gen": {}, "col": {},
	"sgt": {}, "capt": {}, "lt": {}, "rev": {}, "fr": {}, "jan": {}, "feb": {}, "mar": {},
	"apr": {}, "jun": {}, "jul": {}, "aug": {}, "sep": {}, "sept": {}, "oct": {}, "nov": {},
	"dec": {}, "approx": {}, "dept": {}, "est": {}, "fig": {}, "vol": {}, "mt": {},
}

// mayEnd holds the bytes that may end a sentence: '.', '!', '?' and the
// first byte of '…'; AppendSentencesIn steps over the others at once.
var mayEnd = [256]bool{'.': true, '!': true, '?': true, 0xE2: true}
