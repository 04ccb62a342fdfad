package dataset

import (
	"reflect"
	"strings"
	"testing"
)

func TestPyStrings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"two single quoted", `['one post', 'two posts']`, []string{"one post", "two posts"}},
		{"double quoted with apostrophe", `["it's fine", 'ok']`, []string{"it's fine", "ok"}},
		{"escapes", `['a\'b', 'line\nbreak', 'back\\slash', 'caf\xe9', '\u2019s']`, []string{"a'b", "line\nbreak", `back\slash`, "café", "’s"}},
		{"unknown escape kept", `['a\qb']`, []string{`a\qb`}},
		{"comma and bracket inside", `['a, b]', "c"]`, []string{"a, b]", "c"}},
		{"cut off mid string", `['whole', 'half of a`, []string{"whole", "half of a"}},
		{"cut off after comma", `['whole', `, []string{"whole"}},
		{"trailing backslash", `['end\`, []string{`end\`}},
		{"empty list", `[]`, nil},
		{"empty strings dropped", `['', ' ', 'x']`, []string{"x"}},
		{"not a list", `  just text `, []string{"just text"}},
		{"empty", ``, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PyStrings(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PyStrings(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzPyStrings(f *testing.F) {
	f.Add(`['a', "b\'c", 'd\x41']`)
	f.Add(`['cut`)
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range PyStrings(s) {
			if p == "" || strings.TrimSpace(p) != p {
				t.Fatalf("untrimmed or empty string %q", p)
			}
		}
	})
}

func TestCSSRSFixture(t *testing.T) {
	const body = "User,Post,Label\n" +
		`user-1,"['I walked the dog today.', ""Can't sleep again""]",Ideation` + "\n" +
		`user-2,"['Reach out, you matter.']",Supportive` + "\n"
	got, err := CSSRS(writeTemp(t, "c.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []CSSRSUser{
		{User: "user-1", Posts: []string{"I walked the dog today.", "Can't sleep again"}, Level: "Ideation"},
		{User: "user-2", Posts: []string{"Reach out, you matter."}, Level: "Supportive"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if !got[0].AtRisk() || got[1].AtRisk() {
		t.Errorf("AtRisk: Ideation %v, Supportive %v", got[0].AtRisk(), got[1].AtRisk())
	}
	if _, err := CSSRS(writeTemp(t, "c.csv", "User,Post,Label\nu,\"['x']\",Unsure\n")); err == nil {
		t.Error("unknown label accepted")
	}
}

func TestCSSRSReal(t *testing.T) {
	users, err := CSSRS(sharedData(t, "reddit-cssrs-500/500_Reddit_users_posts_labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 500 {
		t.Fatalf("%d users, want 500", len(users))
	}
	levels := map[string]int{}
	seen := map[string]bool{}
	for _, u := range users {
		levels[u.Level]++
		if len(u.Posts) == 0 || seen[u.User] {
			t.Errorf("%s: %d posts, seen before %v", u.User, len(u.Posts), seen[u.User])
		}
		seen[u.User] = true
		for _, p := range u.Posts {
			if strings.HasPrefix(p, "['") {
				t.Fatalf("%s: list literal left unparsed", u.User)
			}
		}
	}
	for _, l := range CSSRSLevels {
		if levels[l] == 0 {
			t.Errorf("no users at level %s", l)
		}
	}
}
