package main

import (
	"fmt"
	"strings"

	"github.com/forewarn/forewarn"
)

// loadEngine returns the topic detector and the comment moderator that serve
// runs on. Until the model-backed warn and moderate packages are wired in
// here, it returns phraseEngine, a small stand-in that lets the server, its
// tests and its load bench run end to end; model and policy are ignored.
func loadEngine(model, policy string) (forewarn.Detector, forewarn.Moderator, error) {
	if model != "" || policy != "" {
		return nil, nil, fmt.Errorf("load engine: %w: --model and --policy need the model-backed moderator", forewarn.ErrInvalid)
	}
	return phraseEngine{}, phraseEngine{}, nil
}

// phraseEngine decides by fixed phrases. It is deliberately small: it is a
// stand-in with the same cost profile as a cheap model, not a moderator.
type phraseEngine struct{}

// standInTopics maps a phrase to the topic it signals.
var standInTopics = []struct{ phrase, id, name string }{
	{"funeral", "grief", "grief"},
	{"passed away", "death", "death"},
	{"miscarriage", "pregnancy-loss", "pregnancy loss"},
	{"overdose", "drug-use", "drug use"},
}

// standInPhrases maps a phrase in a comment to the decision it earns.
var standInPhrases = []struct {
	phrase   string
	label    string
	decision forewarn.Decision
}{
	{"kill myself", "self-harm", forewarn.Support},
	{"end it all", "self-harm", forewarn.Support},
	{"idiot", "insult", forewarn.Hold},
	{"moron", "insult", forewarn.Hold},
	{"attention seeker", "hostile", forewarn.Hold},
}

const standInSupport = "You matter. If you are thinking about ending your life, please talk to someone you trust or call a local crisis line today."

func (phraseEngine) Warn(text, style string) (forewarn.Warning, error) {
	if style != "" && style != "default" {
		return forewarn.Warning{}, fmt.Errorf("%w: unknown style %q", forewarn.ErrInvalid, style)
	}
	lower := strings.ToLower(text)
	var w forewarn.Warning
	var names []string
	for _, t := range standInTopics {
		if i := strings.Index(lower, t.phrase); i >= 0 {
			w.Topics = append(w.Topics, forewarn.Topic{ID: t.id, Name: t.name, Score: 1, Prominence: forewarn.Mention,
				Evidence: []forewarn.TopicEvidence{{Start: i, End: i + len(t.phrase), SentenceStart: 0, SentenceEnd: len(text)}}})
			names = append(names, t.name)
		}
	}
	if len(names) > 0 {
		w.Line = "Content warning: " + strings.Join(names, ", ") + "."
	}
	return w, nil
}

func (phraseEngine) Decide(post *forewarn.Post, text string) forewarn.Verdict {
	lower := strings.ToLower(text)
	v := forewarn.Verdict{Decision: forewarn.Publish, Scores: map[string]float64{}}
	for _, p := range standInPhrases {
		i := strings.Index(lower, p.phrase)
		if i < 0 || p.label == "hostile" && (post == nil || !post.Sensitive) {
			continue
		}
		v.Scores[p.label] = 1
		v.Reasons = append(v.Reasons, p.label)
		v.Evidence = append(v.Evidence, forewarn.Evidence{Label: p.label, Start: i, End: i + len(p.phrase)})
		if p.decision == forewarn.Support || v.Decision == forewarn.Publish {
			v.Decision = p.decision
		}
	}
	if v.Decision == forewarn.Support {
		v.Support = standInSupport
	}
	return v
}

func (e phraseEngine) Nudge(post *forewarn.Post, text string) forewarn.Nudge {
	v := e.Decide(post, text)
	n := forewarn.Nudge{Evidence: v.Evidence, Support: v.Support}
	switch v.Decision {
	case forewarn.Hold:
		n.Nudge, n.Message = true, "This may land hard on someone who is hurting. Would you like to change it before posting?"
	case forewarn.Support:
		n.Nudge, n.Message = true, "It sounds like you are carrying a lot right now."
	}
	return n
}
