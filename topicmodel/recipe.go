package topicmodel

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/warn"
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
	// Yes and Votes count the annotators who said the labelled Webis
	// warning applies, and all who judged it; zero for other sources.
	Yes, Votes int
}

// soft returns the share of annotators who said yes, or -1 when the
// document has no votes.
func (d Doc) soft() float32 {
	if d.Votes == 0 {
		return -1
	}
	return float32(d.Yes) / float32(d.Votes)
}

// Corpus is the labelled data the topic model learns from.
type Corpus struct {
	// Webis holds the Webis passages, Y over dataset.WebisWarnings.
	Webis []dataset.WebisPassage
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
	if c.Webis, err = dataset.WebisPassages(filepath.Join(dir, WebisPath)); err != nil {
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
func WebisDocs(ps []dataset.WebisPassage) []Doc {
	out := make([]Doc, len(ps))
	for i, p := range ps {
		out[i] = Doc{Text: p.Text.Text, Y: remap(p.Y, dataset.WebisWarnings, func(w string) string { return webisTopic[w] }), Group: p.Group, Source: Webis, Yes: p.Yes, Votes: p.Votes}
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
// passages, the Dreaddit training split with background negatives for
// the Webis warnings (see Background) and the C-SSRS users.
func (c *Corpus) Docs() ([]Doc, error) {
	bg, err := Background(DreadditDocs(c.Dreaddit))
	if err != nil {
		return nil, err
	}
	var out []Doc
	out = append(out, WebisDocs(c.Webis)...)
	out = append(out, bg...)
	out = append(out, UserDocs(c.Users)...)
	return out, nil
}

// Background makes docs, ordinary posts from a source that was not
// judged for the Webis warnings, negatives for every Webis warning whose
// topic the phrase lexicon finds no sign of in them. The Webis passages
// were all candidates for their warning, so without such text a model
// never sees what an ordinary article looks like and flags its words at
// random. A post the lexicon ties to a topic stays Unknown for it: it may
// be about it.
func Background(docs []Doc) ([]Doc, error) {
	d, err := warn.New(warn.Options{})
	if err != nil {
		return nil, fmt.Errorf("background: %w", err)
	}
	out := make([]Doc, len(docs))
	for i, doc := range docs {
		doc.Y = slices.Clone(doc.Y)
		found := d.Detect(doc.Text)
		for _, t := range webisLabels() {
			l := slices.Index(Labels, t)
			if doc.Y[l] == dataset.Unknown && !slices.ContainsFunc(found, func(x forewarn.Topic) bool { return x.ID == t }) {
				doc.Y[l] = 0
			}
		}
		out[i] = doc
	}
	return out, nil
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
