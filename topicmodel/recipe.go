package topicmodel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/data/news"
	"github.com/forewarn/forewarn/data/topics"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/warn"
)

// Labels are the model's outputs, taxonomy topic ids, in model order.
var Labels = []string{
	"violence", "war", "death", "kidnapping", "sexism", "homophobia", "racism", "ableism",
	"domestic-abuse", "sexual-violence", "mental-illness",
	"suicide", "self-harm", "grief",
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
	// SDCNL posts from r/SuicideWatch and r/depression.
	SDCNL
	// GoEmotions comments.
	GoEmotions
	// Everyday is background text: prose, news and documentation.
	Everyday
	// Team is the team-written passages.
	Team
	// News is AG News World stories the team labelled (data/news).
	News
	// EDOS is posts of the EDOS training split, labelled sexist or not.
	EDOS
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
	// SDCNL and GoEmotions hold the training splits of SDCNL and
	// GoEmotions.
	SDCNL, GoEmotions []dataset.Text
	// Brown, ManPages and AGNews hold the background corpora, whole:
	// Docs trains on the part dataset.HeldOut does not hold out.
	Brown, ManPages, AGNews []dataset.Passage
	// Team holds the training part of the team-written passages.
	Team []Doc
	// News holds the team's labels of the training part of AG News
	// World stories, by story id (NewsLabels).
	News map[string]map[string]bool
	// EDOS holds the EDOS posts, every split: Docs trains on the
	// training split only.
	EDOS []dataset.EDOSPost
}

// Paths of the datasets under the data folder.
const (
	WebisPath        = "webis-passages/train.jsonl"
	DreadditPath     = "dreaddit/dreaddit-train.csv"
	DreadditTestPath = "dreaddit/dreaddit-test.csv"
	CSSRSPath        = "reddit-cssrs-500/500_Reddit_users_posts_labels.csv"
	SDCNLPath        = "sdcnl/train.csv"
	SDCNLTestPath    = "sdcnl/test.csv"
	GoEmotionsPath   = "goemotions/train.tsv"
	GoEmotionsTest   = "goemotions/test.tsv"
	BrownPath        = "brown/paragraphs.jsonl"
	ManPagesPath     = "debian-manpages/manpages_paragraphs.jsonl"
	AGNewsPath       = "ag-news/test.csv"
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
	if c.SDCNL, err = dataset.SDCNL(filepath.Join(dir, SDCNLPath)); err != nil {
		return nil, err
	}
	if c.GoEmotions, err = dataset.GoEmotions(filepath.Join(dir, GoEmotionsPath)); err != nil {
		return nil, err
	}
	if c.Brown, c.ManPages, c.AGNews, err = LoadEveryday(dir); err != nil {
		return nil, err
	}
	if c.Team, err = TeamDocs(topics.Train); err != nil {
		return nil, err
	}
	if c.News, err = NewsLabels(news.Train); err != nil {
		return nil, err
	}
	if c.EDOS, err = dataset.EDOS(filepath.Join(dir, EDOSPath)); err != nil {
		return nil, err
	}
	return &c, nil
}

// LoadEveryday reads the background corpora from the data folder dir.
func LoadEveryday(dir string) (brown, man, ag []dataset.Passage, err error) {
	if brown, err = dataset.Brown(filepath.Join(dir, BrownPath)); err != nil {
		return
	}
	if man, err = dataset.ManPages(filepath.Join(dir, ManPagesPath)); err != nil {
		return
	}
	ag, err = dataset.AGNews(filepath.Join(dir, AGNewsPath))
	return
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
// passages, the Dreaddit training split, the C-SSRS users, the SDCNL and
// GoEmotions training splits, and the training part of the background
// corpora (see EverydayDocs), the labelled news stories among them apart
// (NewsDocs), and the EDOS training split for sexism (EDOSDocs). Posts
// that were not judged for a label are
// negatives for it where the lexicon finds no sign of its topic (see
// Background).
func (c *Corpus) Docs() ([]Doc, error) {
	var out []Doc
	out = append(out, WebisDocs(c.Webis)...)
	out = append(out, UserDocs(c.Users)...)
	neutral, rest := GoEmotionsDocs(c.GoEmotions)
	mixed, clean := EverydayDocs(c.Brown, c.ManPages, c.AGNews)
	newsDocs, mixed := NewsDocs(mixed, c.News)
	for _, part := range []struct {
		docs []Doc
		own  []string
	}{
		{DreadditDocs(c.Dreaddit), dataset.DreadditTopics},
		{SDCNLDocs(c.SDCNL), []string{"suicide", "self-harm", "mental-illness"}},
		{neutral, []string{"grief"}},
		{mixed, nil},
		{newsDocs, NewsTopics},
	} {
		bg, err := Background(part.docs, part.own...)
		if err != nil {
			return nil, err
		}
		out = append(out, bg...)
	}
	return slices.Concat(out, rest, clean, c.Team, EDOSDocs(c.EDOS)), nil
}

// SDCNLDocs turns SDCNL posts into documents: suicide for r/SuicideWatch,
// and a post from r/depression is about mental illness and not suicide.
func SDCNLDocs(texts []dataset.Text) []Doc {
	sui, mi := slices.Index(Labels, "suicide"), slices.Index(Labels, "mental-illness")
	out := make([]Doc, len(texts))
	for i, t := range texts {
		y := unknownY()
		y[sui] = t.Y[0]
		if t.Y[0] == 0 {
			y[mi] = 1
		}
		out[i] = Doc{Text: t.Text, Y: y, Group: t.Group, Source: SDCNL}
	}
	return out
}

// goEmotionsShare keeps one GoEmotions comment in this many of those that
// are neither grief nor neutral-only: enough ordinary comments to learn
// what grief is not, without the 40,000 comments slowing training.
const goEmotionsShare = 4

// GoEmotionsDocs turns GoEmotions comments into documents for grief: a
// comment the raters tagged grief is about grief, others are not. Comments
// tagged neutral alone go to neutral, candidates for the other labels'
// background negatives; of the rest, one in goEmotionsShare is kept, for
// grief only.
func GoEmotionsDocs(texts []dataset.Text) (neutral, rest []Doc) {
	grief := slices.Index(dataset.GoEmotionsLabels, "grief")
	neu := slices.Index(dataset.GoEmotionsLabels, "neutral")
	gl := slices.Index(Labels, "grief")
	for _, t := range texts {
		y := unknownY()
		y[gl] = t.Y[grief]
		d := Doc{Text: t.Text, Y: y, Group: "goemotions-" + t.ID, Source: GoEmotions}
		switch {
		case t.Y[neu] == 1 && slices.Index(t.Y, 1) == neu:
			neutral = append(neutral, d)
		case t.Y[grief] == 1 || xxhash.Sum64String(t.ID)%goEmotionsShare == 0:
			rest = append(rest, d)
		}
	}
	return neutral, rest
}

// everydayCap bounds how many training paragraphs each background corpus
// gives, chosen by a fixed hash: 5,000 is a fifth of the man pages and a
// third of Brown, enough for their idioms while training stays within a few
// minutes on one core.
const everydayCap = 5000

// EverydayDocs turns the training part of the background corpora (the
// passages dataset.HeldOut does not hold out) into documents. clean holds
// the text that carries no warning by its domain: every man page, Brown
// outside fiction and press reportage, and AG News outside World; it is
// negative for every label. mixed holds Brown's fiction and reportage and
// AG News's World stories, which do report violence and death; Background
// decides their labels.
func EverydayDocs(brown, man, ag []dataset.Passage) (mixed, clean []Doc) {
	add := func(ps []dataset.Passage, isClean func(string) bool) {
		var keep []dataset.Passage
		for _, p := range ps {
			if !dataset.HeldOut(p.Group) {
				keep = append(keep, p)
			}
		}
		slices.SortFunc(keep, func(a, b dataset.Passage) int {
			return cmp.Compare(xxhash.Sum64String(a.ID), xxhash.Sum64String(b.ID))
		})
		keep = keep[:min(len(keep), everydayCap)]
		for _, p := range keep {
			d := Doc{Text: p.Text, Y: unknownY(), Group: p.Group, Source: Everyday}
			if isClean(p.Domain) {
				for l := range d.Y {
					d.Y[l] = 0
				}
				clean = append(clean, d)
			} else {
				mixed = append(mixed, d)
			}
		}
	}
	add(brown, func(g string) bool { return !dataset.BrownFiction(g) && g != dataset.BrownReportage })
	add(man, func(string) bool { return true })
	add(ag, func(c string) bool { return c != "World" })
	return mixed, clean
}

// Background makes docs, ordinary posts that were not judged for the
// labels outside own, negatives for every such label whose topic the
// phrase lexicon finds no sign of in them. The Webis passages were all
// candidates for their warning, so without such text a model never sees
// what an ordinary post looks like. A post the lexicon ties to a topic
// stays Unknown for it: it may be about it. Labels in own are the source's
// own, left as the source set them.
func Background(docs []Doc, own ...string) ([]Doc, error) {
	d, err := warn.New(warn.Options{})
	if err != nil {
		return nil, fmt.Errorf("background: %w", err)
	}
	out := make([]Doc, len(docs))
	for i, doc := range docs {
		doc.Y = slices.Clone(doc.Y)
		found := d.Detect(doc.Text)
		for l, t := range Labels {
			if doc.Y[l] == dataset.Unknown && !slices.Contains(own, t) && !slices.ContainsFunc(found, func(x forewarn.Topic) bool { return x.ID == t }) {
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

// WebisTopic returns the topic id a Webis warning trains.
func WebisTopic(warning string) string { return webisTopic[warning] }

// GroupFolds deals groups into k folds so that a group never straddles
// two: the split of every cross-validation of the recipe, given the seed.
func GroupFolds(groups []string, k int, seed uint64) []int { return groupFolds(groups, k, seed) }

// teamLabel maps a team-written passage's topic to the model label it
// trains when it is about the topic.
var teamLabel = map[string]string{"child-death": "death", "grief": "grief"}

// teamLine is one team-written passage.
type teamLine struct {
	ID    string `json:"id"`
	Topic string `json:"topic"`
	Label int    `json:"label"`
	Text  string `json:"text"`
}

// TeamDocs reads team-written passages, JSON Lines as in data/topics
// (see its README.md), into documents: one about a topic is positive for
// the model label the topic trains, if any; one that uses the topic's
// words innocently is negative for every label.
func TeamDocs(b []byte) ([]Doc, error) {
	var out []Doc
	for n, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var t teamLine
		if err := json.Unmarshal([]byte(line), &t); err != nil || t.Text == "" || (t.Label != 0 && t.Label != 1) {
			return nil, fmt.Errorf("read team passages: line %d: %w", n+1, dataset.ErrFormat)
		}
		y := unknownY()
		if t.Label == 0 {
			for l := range y {
				y[l] = 0
			}
		} else if l := slices.Index(Labels, teamLabel[t.Topic]); l >= 0 {
			y[l] = 1
		}
		out = append(out, Doc{Text: t.Text, Y: y, Group: "team-" + t.ID, Source: Team})
	}
	return out, nil
}
