package dataset

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSSRSLevels are the user-level risk levels of the reddit C-SSRS dataset
// (Gaur et al., 2019), least severe first.
var CSSRSLevels = []string{"Supportive", "Indicator", "Ideation", "Behavior", "Attempt"}

// CSSRSUser is one user of the reddit C-SSRS dataset: their posts and the
// risk level psychiatrists gave the user as a whole.
type CSSRSUser struct {
	User  string
	Posts []string
	Level string
}

// AtRisk reports whether the user's level is Ideation, Behavior or Attempt.
func (u CSSRSUser) AtRisk() bool {
	return u.Level == "Ideation" || u.Level == "Behavior" || u.Level == "Attempt"
}

// CSSRS reads the reddit C-SSRS file (500_Reddit_users_posts_labels.csv:
// User, Post, Label), where Post is a Python list literal of strings.
func CSSRS(path string) ([]CSSRSUser, error) {
	return readFile(path, "cssrs", readCSSRS)
}

func readCSSRS(r io.Reader) ([]CSSRSUser, error) {
	t, err := newCSVTable(r, "User", "Post", "Label")
	if err != nil {
		return nil, err
	}
	// Some rows of the published file have broken quoting.
	t.r.LazyQuotes = true
	var out []CSSRSUser
	err = t.each(func(n int, rec []string) error {
		level := strings.TrimSpace(t.field(rec, "Label"))
		if !slices.Contains(CSSRSLevels, level) {
			return fmt.Errorf("%w: record %d: label %q", ErrFormat, n, level)
		}
		out = append(out, CSSRSUser{User: t.field(rec, "User"), Posts: PyStrings(t.field(rec, "Post")), Level: level})
		return nil
	})
	return out, err
}

// PyStrings parses a Python list literal of strings, such as
// ['first post', "it's the second"], into its strings. It never fails: the
// published file has lists cut off mid-string, so an unterminated string
// or list keeps what was read, and text that is not a list at all is
// returned as a single string. Empty strings are dropped.
func PyStrings(s string) []string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "[") {
		if t == "" {
			return nil
		}
		return []string{t}
	}
	var out []string
	var b strings.Builder
	i := 1
	for i < len(t) {
		c := t[i]
		if c != '\'' && c != '"' {
			// Commas, spaces and the closing bracket between strings.
			if c == ']' {
				break
			}
			i++
			continue
		}
		quote := c
		b.Reset()
		i++
		for i < len(t) && t[i] != quote {
			if t[i] != '\\' || i+1 >= len(t) {
				b.WriteByte(t[i])
				i++
				continue
			}
			i += 1 + pyEscape(&b, t[i+1:])
		}
		i++ // the closing quote, or past the end
		if p := strings.TrimSpace(b.String()); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Python's escape sequences: single characters, and the hex digits that
// follow x, u and U.
var (
	pySimple = map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '\'': '\'', '"': '"', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v', '0': 0}
	pyHexLen = map[byte]int{'x': 2, 'u': 4, 'U': 8}
)

// pyEscape writes the character of the escape sequence that follows a
// backslash (s starts after it) and returns the bytes it used.
func pyEscape(b *strings.Builder, s string) int {
	c := s[0]
	if n, ok := pyHexLen[c]; ok && len(s) > n {
		if v, err := strconv.ParseUint(s[1:1+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			b.WriteRune(rune(v))
			return 1 + n
		}
	}
	if r, ok := pySimple[c]; ok {
		b.WriteByte(r)
		return 1
	}
	if c == '\n' {
		// A line continuation.
		return 1
	}
	b.WriteByte('\\')
	return 0
}
