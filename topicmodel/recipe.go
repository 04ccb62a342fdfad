package topicmodel

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/forewarn/forewarn/dataset"
)

// Labels are the model's outputs, taxonomy topic ids, in model order.
var Labels = []string{
	"violence", "war", "death", "kidnapping", "sexism", "homophobia", "racism", "ableism",
	"domestic-abuse", "sexual-violence", "mental-illness",
	"suicide", "self-harm",
}

// webisTopic maps a Webis warning to the topic it trains.
var webisTopic = map[string]string{
	"violence": "violence", "war": "war", "death": "death", "abduction": "kidnapping",
	"misogyny": "sexism", "homophobia": "homophobia", "racism": "racism", "ableism": "ableism",
}

// Source names where a document came from; thresholds are chosen per
// source objective.
type Source int

// Sources of training documents.
const (
	Webis Source = iota
	Dreaddit
	CSSRS
)

// Doc is one training document with labels over Labels.
type Doc struct {
	Text string
	// Y holds 1, 0 or dataset.Unknown per label.
	Y []int8
	// Group is the unit that never straddles a fold: a work, a post or a user.
	Group  string
	Source Source
}

// Corpus is the labelled data the topic model learns from.
type Corpus struct {
	// Webis holds the Webis passages, Y over dataset.WebisWarnings.
	Webis []dataset.Text
	// Dreaddit and DreadditTest hold the official Dreaddit splits, Y over
	// dataset.DreadditTopics.
	Dreaddit, DreadditTest []dataset.Text
	// Users holds the reddit C-SSRS users.
	Users []dataset.CSSRSUser
}

// Paths of the datasets under the data folder.
const (
	WebisPath        = "webis-passages/train.jsonl"
	DreadditPath     = "dreaddit/dreaddit-train.csv"
	DreadditTestPath = "dreaddit/dreaddit-test.csv"
	CSSRSPath        = "reddit-cssrs-500/500_Reddit_users_posts_labels.csv"
)

// LoadCorpus reads the datasets from the data folder dir.
func LoadCorpus(dir string) (*Corpus, error) {
	var c Corpus
	var err error
	if c.Webis, err = dataset.Webis(filepath.Join(dir, WebisPath)); err != nil {
		return nil, err
	}
	if c.Dreaddit, err = dataset.Dreaddit(filepath.Join(dir, DreadditPath)); err != nil {
		return nil, err
	}
	if c.DreadditTest, err = dataset.Dreaddit(filepath.Join(dir, DreadditTestPath)); err != nil {
		return nil, err
	}
	if c.Users, err = dataset.CSSRS(filepath.Join(dir, CSSRSPath)); err != nil {
		return nil, err
	}
	return &c, nil
}

// unknownY returns labels that are all Unknown.
func unknownY() []int8 {
	y := make([]int8, len(Labels))
	for i := range y {
		y[i] = dataset.Unknown
	}
	return y
}

// remap moves labels named from[i] to their topic ids in Labels; labels the
// source does not annotate stay Unknown.
func remap(src []int8, from []string, topic func(string) string) []int8 {
	y := unknownY()
	for i, v := range src {
		if l := slices.Index(Labels, topic(from[i])); l >= 0 {
			y[l] = v
		}
	}
	return y
}

// WebisDocs turns Webis passages into documents.
func WebisDocs(texts []dataset.Text) []Doc {
	out := make([]Doc, len(texts))
	for i, t := range texts {
		out[i] = Doc{Text: t.Text, Y: remap(t.Y, dataset.WebisWarnings, func(w string) string { return webisTopic[w] }), Group: t.Group, Source: Webis}
	}
	return out
}

// DreadditDocs turns Dreaddit segments into documents.
func DreadditDocs(texts []dataset.Text) []Doc {
	out := make([]Doc, len(texts))
	for i, t := range texts {
		out[i] = Doc{Text: t.Text, Y: remap(t.Y, dataset.DreadditTopics, func(s string) string { return s }), Group: t.Group, Source: Dreaddit}
	}
	return out
}

// UserDoc turns a C-SSRS user into a document: all their posts as one text,
// since the level was given to the user. Ideation, Behavior and Attempt are
// suicide, Supportive users are not; Indicator users are Unknown (at-risk
// language without ideation). Self-harm is positive for Behavior, the level
// that covers self-injury, negative for Supportive and Unknown otherwise.
func UserDoc(u dataset.CSSRSUser) Doc {
	y := unknownY()
	sui, sh := slices.Index(Labels, "suicide"), slices.Index(Labels, "self-harm")
	switch u.Level {
	case "Supportive":
		y[sui], y[sh] = 0, 0
	case "Ideation", "Attempt":
		y[sui] = 1
	case "Behavior":
		y[sui], y[sh] = 1, 1
	}
	return Doc{Text: strings.Join(u.Posts, "\n\n"), Y: y, Group: "user-" + u.User, Source: CSSRS}
}

// UserDocs turns C-SSRS users into documents.
func UserDocs(users []dataset.CSSRSUser) []Doc {
	out := make([]Doc, len(users))
	for i, u := range users {
		out[i] = UserDoc(u)
	}
	return out
}

// Docs returns the training documents of the whole corpus: the Webis
// passages, the Dreaddit training split and the C-SSRS users.
func (c *Corpus) Docs() []Doc {
	var out []Doc
	out = append(out, WebisDocs(c.Webis)...)
	out = append(out, DreadditDocs(c.Dreaddit)...)
	out = append(out, UserDocs(c.Users)...)
	return out
}

// check reports documents whose labels do not fit Labels.
func check(docs []Doc) error {
	for i, d := range docs {
		if len(d.Y) != len(Labels) {
			return fmt.Errorf("document %d has %d labels, want %d", i, len(d.Y), len(Labels))
		}
	}
	return nil
}
