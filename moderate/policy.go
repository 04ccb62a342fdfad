package moderate

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/forewarn/forewarn"
)

//go:embed policy.json
var defaultPolicy []byte

//go:embed patterns.txt
var defaultPatterns string

// Policy is what a publisher can tune about decisions. ParsePolicy reads it
// from JSON over the defaults: maps merge key by key, lists replace.
type Policy struct {
	// SensitiveTopics are the topic IDs that make a post sensitive.
	SensitiveTopics []string `json:"sensitive_topics"`
	// Thresholds holds, for neutral and for sensitive posts, the score at
	// which each head holds a comment: the comment model's "insult",
	// "hate", "sexism" and "threat"; "hostile" (the phrase layer);
	// "self_harm" (support); and "nudge", the score of a hostility head
	// or the phrase layer at which a draft on a sensitive post earns a
	// nudge without being held. "offensive", "targeted" and "profanity"
	// are accepted; above 1 turns a key off. Other keys are rejected.
	Thresholds Thresholds `json:"thresholds"`
	// Categories configures each phrase category of patterns.txt.
	Categories map[string]Category `json:"categories"`
	// Situations pick the nudge message from the post's topics, first
	// match first.
	Situations []Situation `json:"situations"`
	// Messages are the nudge messages by situation name, plus "insult"
	// (an insult on any post), "borderline" and "default".
	Messages map[string]string `json:"messages"`
	// Support is shown to a commenter who seems at risk. "{local_number}"
	// in it is replaced by SupportNumber.
	Support       string `json:"support"`
	SupportNumber string `json:"support_number"`
	// SupportFollowUp is the sentence that promises a commenter at risk
	// that a person will check in. It joins the support text only when
	// FollowUp says the site has turned that on, so that the text never
	// promises what nobody will do.
	SupportFollowUp string `json:"support_follow_up"`
	FollowUp        bool   `json:"follow_up"`
	// Allow lists phrases that never count against a comment, such as
	// kind swearing ("fuck cancer"); a comment with one is not held on the
	// model's scores alone.
	Allow []string `json:"allow"`
	// Deny lists phrases that always hold a comment.
	Deny []string `json:"deny"`
	// Patterns adds patterns, in the syntax of patterns.txt, by category.
	Patterns map[string][]string `json:"patterns"`
}

// Thresholds are per-label hold thresholds for the two kinds of post.
type Thresholds struct {
	Neutral   map[string]float64 `json:"neutral"`
	Sensitive map[string]float64 `json:"sensitive"`
}

// Category configures one phrase category.
type Category struct {
	// Reason is the short human-readable reason a match gives.
	Reason string `json:"reason"`
	// Weight is the hostility score a match carries.
	Weight float64 `json:"weight"`
	// Boost is added to Weight when the post has one of Topics: "get over
	// it" weighs more under a post about grief.
	Boost  float64  `json:"boost,omitempty"`
	Topics []string `json:"topics,omitempty"`
	// Message names the nudge message (a key of Policy.Messages, such as
	// "insult") a match picks when the post's situation has none; empty
	// leaves the default.
	Message string `json:"message,omitempty"`
}

// Situation names the kind of post for the nudge message.
type Situation struct {
	Name   string   `json:"name"`
	Topics []string `json:"topics"`
}

// Category names with a fixed role.
const (
	catRisk  = "risk"
	catIdiom = "idiom"
	catAllow = "allow"
	catDeny  = "deny"
)

// DefaultPolicy returns the built-in policy.
func DefaultPolicy() Policy {
	var p Policy
	if err := json.Unmarshal(defaultPolicy, &p); err != nil {
		panic("moderate: bad built-in policy: " + err.Error())
	}
	return p
}

// ParsePolicy parses a JSON policy over the defaults and validates it.
func ParsePolicy(b []byte) (Policy, error) {
	p := DefaultPolicy()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Policy{}, fmt.Errorf("parse policy: %w: %v", forewarn.ErrInvalid, err)
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// Validate checks that thresholds are probabilities, that every category
// has a reason and that the support text is set.
func (p *Policy) Validate() error {
	var errs []string
	for kind, th := range map[string]map[string]float64{"neutral": p.Thresholds.Neutral, "sensitive": p.Thresholds.Sensitive} {
		for _, k := range []string{"hostile", "self_harm"} {
			if _, ok := th[k]; !ok {
				errs = append(errs, fmt.Sprintf("thresholds.%s.%s is missing", kind, k))
			}
		}
		for k, v := range th {
			if !thresholdKeys[k] {
				errs = append(errs, fmt.Sprintf("thresholds.%s.%s is not a known threshold", kind, k))
			}
			if v < 0 || v > 2 {
				errs = append(errs, fmt.Sprintf("thresholds.%s.%s = %v is outside [0, 2] (above 1 turns a label off)", kind, k, v))
			}
		}
	}
	for name, c := range p.Categories {
		if slices.ContainsFunc(roleCategories, func(ci catInfo) bool { return ci.name == name }) {
			errs = append(errs, "categories."+name+" is a built-in category and cannot be configured")
		}
		if c.Reason == "" {
			errs = append(errs, "categories."+name+" has no reason")
		}
		if c.Weight < 0 || c.Weight > 1 || c.Boost < 0 || c.Boost > 1 {
			errs = append(errs, "categories."+name+" weight and boost must be in [0, 1]")
		}
	}
	if strings.TrimSpace(p.Support) == "" {
		errs = append(errs, "support text is empty")
	}
	if p.Messages["default"] == "" {
		errs = append(errs, "messages.default is empty")
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("policy: %w: %s", forewarn.ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// thresholdKeys are the keys a policy's thresholds may have.
var thresholdKeys = map[string]bool{
	"offensive": true, "targeted": true, "insult": true, "hate": true, "sexism": true,
	"threat": true, "profanity": true, "self_harm": true, "hostile": true, "nudge": true,
}

// SupportText returns the support text with the local number filled in,
// and the follow-up promise when the site has turned follow-up on.
func (p *Policy) SupportText() string {
	t := strings.ReplaceAll(p.Support, "{local_number}", p.SupportNumber)
	if p.FollowUp && strings.TrimSpace(p.SupportFollowUp) != "" {
		t += " " + strings.TrimSpace(p.SupportFollowUp)
	}
	return t
}

// SupportInfo returns what the policy tells a commenter at risk: the
// support text, the crisis line and whether a person may follow up.
func (p *Policy) SupportInfo() forewarn.SupportInfo {
	return forewarn.SupportInfo{Text: p.SupportText(), Number: p.SupportNumber, FollowUp: p.FollowUp}
}

// DefaultSupportNumber is the built-in policy's support_number: no real
// number, so that serve can tell that the site has not set one.
const DefaultSupportNumber = "a crisis line in your area"

func topicSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func anyTopic(set map[string]bool, topics []forewarn.Topic) bool {
	for _, t := range topics {
		if set[t.ID] {
			return true
		}
	}
	return false
}
