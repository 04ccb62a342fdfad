package profanity

import "testing"

func TestOf(t *testing.T) {
	tests := []struct {
		word string
		want Class
	}{
		{"fuck", Swear},
		{"motherfucker", Swear},
		{"bullshit", Swear},
		{"shhiit", Swear},
		{"idiots", Insult},
		{"morons", Insult},
		{"you", Second},
		{"kill", Threat},
		{"hello", 0},
		{"assassin", 0},
		{"class", 0},
		{"scunthorpe", 0},
		{"grass", 0},
		{"cocktail", 0},
		{"", 0},
		{"c*nt", Swear | Insult},
		{"sh*t", Swear},
	}
	for _, tt := range tests {
		if got := Of(tt.word); got != tt.want {
			t.Errorf("Of(%q) = %b, want %b", tt.word, got, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := map[string]string{"c*nt": "cunt", "b*tch": "bitch", "****": "****", "hello": "hello", "f***": "f***"}
	for in, want := range tests {
		if got := Resolve(in); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzOf(f *testing.F) {
	f.Add("fuuuck")
	f.Fuzz(func(t *testing.T, w string) {
		if Of(w) != Of(w) {
			t.Fatal("not deterministic")
		}
	})
}

func BenchmarkOf(b *testing.B) {
	ws := []string{"hello", "you", "are", "a", "complete", "motherfucker", "and", "idiots", "everywhere"}
	for b.Loop() {
		for _, w := range ws {
			Of(w)
		}
	}
}
