package textseg

import (
	"reflect"
	"strings"
	"testing"
)

func spanTexts(text string, spans []Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"two", "It rained. We stayed in.", []string{"It rained.", "We stayed in."}},
		{"question and bang", "Why? Because! Fine", []string{"Why?", "Because!", "Fine"}},
		{"decimal", "She has 42.7 million fans. Wow.", []string{"She has 42.7 million fans.", "Wow."}},
		{"title", "Dr. Smith came. Mrs. Jones left.", []string{"Dr. Smith came.", "Mrs. Jones left."}},
		{"initials", "J. R. R. Tolkien wrote it.", []string{"J. R. R. Tolkien wrote it."}},
		{"dotted", "In the U.S. it is legal. Elsewhere not.", []string{"In the U.S. it is legal.", "Elsewhere not."}},
		{"quote closes", `"I cried." Then she left.`, []string{`"I cried."`, "Then she left."}},
		{"curly quote closes", "“I cried.” Then she left.", []string{"“I cried.”", "Then she left."}},
		{"lower case goes on", "Wait... and then it came.", []string{"Wait... and then it came."}},
		{"ellipsis", "Well… Then what?", []string{"Well…", "Then what?"}},
		{"lines are paragraphs", "One line\nTwo line", []string{"One line", "Two line"}},
		{"soft wrap", "One line\nwraps here.\n\nNext.", []string{"One line\nwraps here.", "Next."}},
		{"empty", "", nil},
		{"space only", "  \n\n  ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spanTexts(tt.in, Sentences(tt.in)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"lines", "a\nb\n\n", []string{"a", "b"}},
		{"blank lines", "a\nb\n \nc", []string{"a\nb", "c"}},
		{"crlf", "a\r\n\r\nb", []string{"a", "b"}},
		{"one", "  just one  ", []string{"just one"}},
		{"none", "\n\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spanTexts(tt.in, Paragraphs(tt.in)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkSpans fails unless spans are ordered, disjoint, non-empty, on UTF-8
// boundaries and within text, and unless every non-space byte is covered.
func checkSpans(t *testing.T, text string, spans []Span) {
	t.Helper()
	prev := 0
	for _, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("bad span %v after %d in %q", s, prev, text)
		}
		if !boundaryAt(text, s.Start) || !boundaryAt(text, s.End) {
			t.Fatalf("span %v not on a rune boundary in %q", s, text)
		}
		if strings.TrimLeft(text[prev:s.Start], " \t\n\r\f\v") != "" {
			t.Fatalf("text %q between spans is lost in %q", text[prev:s.Start], text)
		}
		prev = s.End
	}
	if strings.TrimLeft(text[prev:], " \t\n\r\f\v") != "" {
		t.Fatalf("tail %q is lost in %q", text[prev:], text)
	}
}

// boundaryAt reports whether decoding starts a rune at i; an invalid byte
// counts as one rune, as it does for range loops.
func boundaryAt(text string, i int) bool {
	if i == len(text) {
		return true
	}
	for j := range text {
		if j >= i {
			return j == i
		}
	}
	return false
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"", "A. B", "Dr. X.\n\nY?” z", "…\xe2\x80", "e.g. I. \xff.", "\"\n\n\"."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sents := Sentences(in)
		checkSpans(t, in, sents)
		paras := Paragraphs(in)
		checkSpans(t, in, paras)
		// Every sentence lies inside one paragraph.
		p := 0
		for _, s := range sents {
			for p < len(paras) && paras[p].End <= s.Start {
				p++
			}
			if p == len(paras) || s.Start < paras[p].Start || s.End > paras[p].End {
				t.Fatalf("sentence %v crosses paragraphs %v in %q", s, paras, in)
			}
		}
		if again := Sentences(in); !reflect.DeepEqual(sents, again) {
			t.Fatalf("not deterministic for %q", in)
		}
	})
}

func BenchmarkSentences(b *testing.B) {
	in := strings.Repeat("Dr. Smith said it was 42.7 per cent. “Really?” she asked. Yes… and no.\n", 100)
	var dst []Span
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		dst = AppendSentences(dst[:0], in)
	}
}
