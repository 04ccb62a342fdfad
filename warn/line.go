package warn

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/forewarn/forewarn"
)

//go:embed styles.json
var defaultStyles []byte

// Style is a house style for the warning line.
type Style struct {
	// Form is "sentence" (topics grouped by prominence, each group led by
	// its phrase: "details about X, discussion of Y and mentions of Z") or
	// "list" (topic names separated by commas).
	Form   string `json:"form"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
	// Detailed, Discussion and Mention lead the groups of a sentence.
	Detailed   string `json:"detailed,omitempty"`
	Discussion string `json:"discussion,omitempty"`
	Mention    string `json:"mention,omitempty"`
}

// Policy is what a publisher warns about.
type Policy struct {
	// MinProminence is the least prominence that earns a warning.
	MinProminence forewarn.Prominence `json:"min_prominence"`
	// MinScore is the least score that earns a warning.
	MinScore float64 `json:"min_score"`
	// Rename maps topic ids to the publisher's own names.
	Rename map[string]string `json:"rename"`
	// Drop lists topic ids the publisher never warns about.
	Drop []string `json:"drop"`
}

// Config is the house styles and the policy.
type Config struct {
	DefaultStyle string           `json:"default_style"`
	Styles       map[string]Style `json:"styles"`
	Policy       Policy           `json:"policy"`
}

// DefaultConfig returns the embedded configuration.
func DefaultConfig() (*Config, error) {
	var c Config
	if err := json.Unmarshal(defaultStyles, &c); err != nil {
		return nil, fmt.Errorf("embedded styles: %w", err)
	}
	return &c, c.Validate()
}

// LoadConfig reads a configuration over the default one: styles it names
// replace or add to the default styles, and the policy fields it sets
// replace the default policy's.
func LoadConfig(r io.Reader) (*Config, error) {
	c, err := DefaultConfig()
	if err != nil {
		return nil, err
	}
	styles := c.Styles
	c.Styles = nil
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return nil, fmt.Errorf("decode styles: %v: %w", err, forewarn.ErrInvalid)
	}
	for k, v := range c.Styles {
		styles[k] = v
	}
	c.Styles = styles
	return c, c.Validate()
}

// Validate reports a configuration that cannot be used.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("styles: %s: %w", fmt.Sprintf(format, a...), forewarn.ErrInvalid)
	}
	if _, ok := c.Styles[c.DefaultStyle]; !ok {
		return bad("default style %q is not defined", c.DefaultStyle)
	}
	for name, s := range c.Styles {
		switch s.Form {
		case "list":
		case "sentence":
			if s.Detailed == "" || s.Discussion == "" || s.Mention == "" {
				return bad("sentence style %q needs detailed, discussion and mention phrases", name)
			}
		default:
			return bad("style %q has form %q, want sentence or list", name, s.Form)
		}
	}
	for id := range c.Policy.Rename {
		if _, ok := topicIndex[id]; !ok {
			return bad("rename of unknown topic %q", id)
		}
	}
	for _, id := range c.Policy.Drop {
		if _, ok := topicIndex[id]; !ok {
			return bad("drop of unknown topic %q", id)
		}
	}
	return nil
}

// name returns the publisher's name for a topic.
func (c *Config) name(t TopicInfo) string {
	if n, ok := c.Policy.Rename[t.ID]; ok {
		return n
	}
	return t.Name
}

// Earns reports whether a topic earns a warning under the policy.
func (c *Config) Earns(t forewarn.Topic) bool {
	return t.Prominence >= max(c.Policy.MinProminence, forewarn.Mention) &&
		t.Score >= c.Policy.MinScore && !slices.Contains(c.Policy.Drop, t.ID)
}

// Line writes the warning line for topics, which must be ordered most
// prominent first and already filtered by the policy. No topics, no line.
func (c *Config) Line(topics []forewarn.Topic, style string) (string, error) {
	if style == "" {
		style = c.DefaultStyle
	}
	s, ok := c.Styles[style]
	if !ok {
		return "", fmt.Errorf("unknown style %q: %w", style, forewarn.ErrInvalid)
	}
	if len(topics) == 0 {
		return "", nil
	}
	var b strings.Builder
	b.WriteString(s.Prefix)
	if s.Form == "list" {
		for i, t := range topics {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.Name)
		}
	} else {
		var groups []string
		nested := false
		for _, p := range []forewarn.Prominence{forewarn.Detailed, forewarn.Discussion, forewarn.Mention} {
			var names []string
			for _, t := range topics {
				if t.Prominence == p {
					names = append(names, t.Name)
				}
			}
			if len(names) == 0 {
				continue
			}
			nested = nested || len(names) > 1
			lead := map[forewarn.Prominence]string{forewarn.Detailed: s.Detailed, forewarn.Discussion: s.Discussion, forewarn.Mention: s.Mention}[p]
			groups = append(groups, lead+" "+joinAnd(names, ", ", " and "))
		}
		// A group that holds its own "and" needs a comma before the last
		// group's "and", or the reader cannot tell where it ends.
		last := " and "
		if nested && len(groups) > 1 {
			last = ", and "
		}
		b.WriteString(joinAnd(groups, ", ", last))
	}
	b.WriteString(s.Suffix)
	return b.String(), nil
}

// joinAnd joins items with sep, using last before the final item.
func joinAnd(items []string, sep, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + last + items[len(items)-1]
}

// Warn implements forewarn.Detector: it returns the warning line in the
// named style and the topics that earn a warning.
func (d *Detector) Warn(text, style string) (forewarn.Warning, error) {
	return d.WarnContext(context.Background(), text, style)
}

// WarnContext implements forewarn.ContextDetector.
func (d *Detector) WarnContext(ctx context.Context, text, style string) (forewarn.Warning, error) {
	if style == "" {
		style = d.cfg.DefaultStyle
	}
	if _, ok := d.cfg.Styles[style]; !ok {
		return forewarn.Warning{}, fmt.Errorf("unknown style %q: %w", style, forewarn.ErrInvalid)
	}
	topics, err := d.DetectContext(ctx, text)
	if err != nil {
		return forewarn.Warning{}, err
	}
	topics = d.Earning(topics)
	line, err := d.cfg.Line(topics, style)
	if err != nil {
		return forewarn.Warning{}, err
	}
	if topics == nil {
		topics = []forewarn.Topic{}
	}
	return forewarn.Warning{Line: line, Topics: topics}, nil
}

// Earning returns the topics that earn a warning under the policy.
func (d *Detector) Earning(topics []forewarn.Topic) []forewarn.Topic {
	var out []forewarn.Topic
	for _, t := range topics {
		if d.cfg.Earns(t) {
			out = append(out, t)
		}
	}
	return out
}

// publisherLabels start a publisher's own warning line.
var publisherLabels = []string{"warning", "content warning", "content note", "trigger warning", "cw", "tw", "cn"}

// SkipPublisherWarning returns the offset just past a publisher's own
// warning line at the start of text ("Warning: This article contains ...",
// "CW: ..."), or 0 when there is none.
func SkipPublisherWarning(text string) int {
	i := 0
	for i < len(text) && isSpace(text[i]) {
		i++
	}
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return 0 // the warning alone is not the whole text
	}
	end += i
	line := text[i:end]
	for _, l := range publisherLabels {
		if len(line) > len(l) && strings.EqualFold(line[:len(l)], l) {
			rest := strings.TrimLeft(line[len(l):], " ")
			if rest != "" && (rest[0] == ':' || rest[0] == '-') {
				return end + 1
			}
		}
	}
	return 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
