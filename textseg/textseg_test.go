package textseg

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // Plain forms
	}{
		{"plain words", "Hello there, friend.", []string{"hello", "there", "friend"}},
		{"apostrophe", "you’re kind", []string{"you're", "kind"}},
		{"repeats cut to two", "sooooo goooood", []string{"soo", "good"}},
		{"leet digits", "h3ll0 st00pid", []string{"hello", "stoopid"}},
		{"leet symbols", "sh!t $hit @ss", []string{"shit", "shit", "ass"}},
		{"split by spaces", "what f u c k", []string{"what", "fuck"}},
		{"split by dots, next word kept", "s.h.i.t I said", []string{"shit", "i", "said"}},
		{"split by asterisks", "f*u*c*k off", []string{"fuck", "off"}},
		{"asterisk hides letters", "f**k", []string{"f**k"}},
		{"split by bangs", "f!u!c!k you", []string{"fuck", "you"}},
		{"split by plus signs", "s+h+i+t", []string{"shit"}},
		{"fullwidth", "ｆｕｃｋ", []string{"fuck"}},
		{"math bold", "𝐟𝐮𝐜𝐤", []string{"fuck"}},
		{"greek look-alike in latin word", "fυck", []string{"fuck"}},
		{"cyrillic look-alikes only", "сосk", []string{"cock"}},
		{"real cyrillic word kept", "привет", []string{"привет"}},
		{"zero width inside", "a\u200bss", []string{"ass"}},
		{"accents", "Café Straße", []string{"cafe", "strasse"}},
		{"trailing bangs", "wow!!! great", []string{"wow", "great"}},
		{"hashtag and mention", "#MAGA @USER", []string{"maga", "auser"}},
		{"camel-case hashtag", "#LockThemAllUp #Trump2020 #BLMProtest", []string{"lock", "them", "all", "up", "trump", "2020", "blm", "protest"}},
		{"emoji are tokens", "ok 👍🏽 fine🖕", []string{"ok", "👍", "fine", "🖕"}},
		{"numbers stay", "in 2019", []string{"in", "2019"}},
		{"control chars split", "bad\x00word", []string{"bad", "word"}},
		{"empty", "", nil},
		{"punctuation only", "!!! ... ***", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range Tokens(tt.in) {
				got = append(got, tk.Plain)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestOffsetsPointAtOriginal(t *testing.T) {
	in := "Ｈｅｌｌｏ, s.h.i.t and café"
	want := []string{"Ｈｅｌｌｏ", "s.h.i.t", "and", "café"}
	var got []string
	for _, tk := range Tokens(in) {
		got = append(got, in[tk.Start:tk.End])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("spans = %q, want %q", got, want)
	}
}

func TestSegmenterReuse(t *testing.T) {
	var s Segmenter
	a := s.Append(nil, "first text here")
	b := s.Append(nil, "second")
	if a[0].Text != "first" || b[0].Text != "second" {
		t.Fatalf("reuse corrupted tokens: %q %q", a[0].Text, b[0].Text)
	}
}

func checkTokens(t *testing.T, in string, toks []Token) {
	t.Helper()
	// Boundaries are where decoding starts a rune; an invalid byte counts
	// as one rune, as it does for range loops.
	boundary := map[int]bool{len(in): true}
	for i := range in {
		boundary[i] = true
	}
	prev := 0
	for _, tk := range toks {
		if tk.Start < prev || tk.End <= tk.Start || tk.End > len(in) {
			t.Fatalf("bad span [%d,%d) after %d in %q", tk.Start, tk.End, prev, in)
		}
		if !boundary[tk.Start] || !boundary[tk.End] {
			t.Fatalf("span [%d,%d) not on UTF-8 boundaries in %q", tk.Start, tk.End, in)
		}
		if tk.Text == "" || tk.Plain == "" {
			t.Fatalf("empty token text at [%d,%d) in %q", tk.Start, tk.End, in)
		}
		if strings.ContainsAny(tk.Text, " \t\n") {
			t.Fatalf("token %q holds whitespace", tk.Text)
		}
		prev = tk.End
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "f u c k", "s.h.i.t", "ｆｕｃｋ", "a\u200bss", "\xff\xfe", "@@@ $$$ x", "é\u0301\u0301", "ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		a := Tokens(in)
		checkTokens(t, in, a)
		var s Segmenter
		s.Append(nil, "warm the buffers with something else")
		if b := s.Append(nil, in); !reflect.DeepEqual(a, b) {
			t.Fatalf("not deterministic for %q", in)
		}
	})
}

func BenchmarkTokens(b *testing.B) {
	in := "@USER @USER Go home you’re drunk!!! This is the st00pidest thing I have ever read, f u c k off. #MAGA URL"
	var s Segmenter
	var toks []Token
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		toks = s.Append(toks[:0], in)
	}
}
