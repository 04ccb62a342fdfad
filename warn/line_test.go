package warn

import (
	"errors"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
)

func topic(id string, p forewarn.Prominence) forewarn.Topic {
	info, _ := Lookup(id)
	return forewarn.Topic{ID: id, Name: info.Name, Score: 0.9, Prominence: p}
}

func TestLine(t *testing.T) {
	c, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	d, dis, m := forewarn.Detailed, forewarn.Discussion, forewarn.Mention
	tests := []struct {
		style  string
		topics []forewarn.Topic
		want   string
	}{
		{"news", nil, ""},
		{"news", []forewarn.Topic{topic("pregnancy-loss", d)}, "Warning: This article contains details about pregnancy loss."},
		{"news", []forewarn.Topic{topic("pregnancy-loss", d), topic("grief", d)}, "Warning: This article contains details about pregnancy loss and grief."},
		{"news", []forewarn.Topic{topic("suicide", dis), topic("drug-use", m)}, "Warning: This article contains discussion of suicide and mentions of drug use."},
		{"news", []forewarn.Topic{topic("war", d), topic("death", dis), topic("grief", m)}, "Warning: This article contains details about war, discussion of death and mentions of grief."},
		{"news", []forewarn.Topic{topic("war", d), topic("violence", d), topic("death", dis), topic("grief", m)}, "Warning: This article contains details about war and violence, discussion of death, and mentions of grief."},
		{"news", []forewarn.Topic{topic("death", m), topic("grief", m), topic("drug-use", m)}, "Warning: This article contains mentions of death, grief and drug use."},
		{"note", []forewarn.Topic{topic("pregnancy-loss", d), topic("drug-use", dis), topic("mental-illness", m)}, "Content note: pregnancy loss, drug use, mental illness."},
		{"tags", []forewarn.Topic{topic("pregnancy-loss", d), topic("drug-use", m)}, "CW: pregnancy loss, drug use"},
	}
	for _, tt := range tests {
		got, err := c.Line(tt.topics, tt.style)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("Line(%v, %s) = %q, want %q", ids(tt.topics), tt.style, got, tt.want)
		}
	}
	if _, err := c.Line(nil, "nope"); !errors.Is(err, forewarn.ErrInvalid) {
		t.Errorf("unknown style: err = %v, want ErrInvalid", err)
	}
}

func TestPolicy(t *testing.T) {
	cfg, err := LoadConfig(strings.NewReader(`{
		"styles": {"short": {"form": "list", "prefix": "Heads up: "}},
		"default_style": "short",
		"policy": {"min_prominence": "discussion", "min_score": 0.5,
			"rename": {"pregnancy-loss": "baby loss"}, "drop": ["drug-use"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Styles["news"]; !ok {
		t.Error("default styles lost when a file adds one")
	}
	d, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	text := "We lost the baby in May. The miscarriage broke us. Later he relapsed into heroin use and drank. The heroin nearly killed him. A note on depression."
	w, err := d.Warn(text, "")
	if err != nil {
		t.Fatal(err)
	}
	if w.Line != "Heads up: baby loss" {
		t.Errorf("line = %q, want the renamed topic only (drug use dropped, mentions below the minimum)", w.Line)
	}
	for _, bad := range []string{`{"policy": {"drop": ["nope"]}}`, `{"default_style": "nope"}`, `{"styles": {"x": {"form": "poem"}}}`, `{"unknown": 1}`} {
		if _, err := LoadConfig(strings.NewReader(bad)); !errors.Is(err, forewarn.ErrInvalid) {
			t.Errorf("LoadConfig(%s): err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestLexiconAdd(t *testing.T) {
	l, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(strings.NewReader("[topic violence]\n0.9 (wallop|walloped) (him|her)\n"), "extra.txt"); err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Lexicon: l})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(d.Earning(d.Detect("Then he walloped her twice."))); len(got) != 1 || got[0] != "violence" {
		t.Errorf("added phrase: got %v", got)
	}
	for _, bad := range []string{"0.5 x", "[topic nope]", "[topic war]\n2 x", "[topic war]\n0.5 (a|b", "[context war]", "[negation]\nnot now", "[bogus]"} {
		if err := NewLexicon().Add(strings.NewReader(bad), "bad.txt"); !errors.Is(err, forewarn.ErrInvalid) {
			t.Errorf("Add(%q): err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestExpand(t *testing.T) {
	got, err := expand("(lost|losing) (the|) baby (boy|girl (a|b))")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 12 || got[0] != "lost the baby boy" || got[11] != "losing  baby girl b" {
		t.Errorf("expand = %q", got)
	}
}
