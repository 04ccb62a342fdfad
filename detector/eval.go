package detector

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/data/news"
	"github.com/forewarn/forewarn/data/topics"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/topicmodel"
	"github.com/forewarn/forewarn/warn"
)

// Corpus is a named set of texts to run a detector over.
type Corpus struct {
	Name  string
	Texts []string
}

// EverydayCorpora returns the held-out part (dataset.HeldOut) of the
// background corpora under the data folder dir, which the topic model
// never trains on: Brown outside fiction and press reportage, Brown's
// reportage and fiction apart, every man page, AG News by class, and the
// GoEmotions test comments tagged neutral alone.
func EverydayCorpora(dir string) ([]Corpus, error) {
	out, err := BackgroundCorpora(dir, true)
	if err != nil {
		return nil, err
	}
	ge, err := dataset.GoEmotions(filepath.Join(dir, topicmodel.GoEmotionsTest))
	if err != nil {
		return nil, err
	}
	neu := slices.Index(dataset.GoEmotionsLabels, "neutral")
	c := Corpus{Name: "goemotions test, neutral"}
	for _, t := range ge {
		if t.Y[neu] == 1 && slices.Index(t.Y, 1) == neu {
			c.Texts = append(c.Texts, t.Text)
		}
	}
	return append(out, c), nil
}

// EverydayRow is how often a detector warns on one corpus.
type EverydayRow struct {
	Corpus string
	Texts  int
	// Warned counts the texts that got any warning, and ByTopic the texts
	// that got each topic.
	Warned  int
	ByTopic map[string]int
}

// Share returns the share of texts that got any warning.
func (r EverydayRow) Share() float64 {
	if r.Texts == 0 {
		return 0
	}
	return float64(r.Warned) / float64(r.Texts)
}

// Everyday runs d over every corpus and counts the texts that earn a
// warning under d's policy.
func Everyday(ctx context.Context, d *warn.Detector, corpora []Corpus) ([]EverydayRow, error) {
	var out []EverydayRow
	for _, c := range corpora {
		r := EverydayRow{Corpus: c.Name, Texts: len(c.Texts), ByTopic: map[string]int{}}
		for _, t := range c.Texts {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			ts := d.Earning(d.Detect(t))
			if len(ts) > 0 {
				r.Warned++
			}
			for _, tp := range ts {
				r.ByTopic[tp.ID]++
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// PrintEveryday writes the rows as a Markdown table: per corpus the share
// of texts with any warning and the topics most often given.
func PrintEveryday(w io.Writer, rows []EverydayRow) error {
	fmt.Fprintln(w, "| corpus (held-out part) | texts | with any warning | share | topics given (texts) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %d | %.1f%% | %s |\n", r.Corpus, r.Texts, r.Warned, 100*r.Share(), topTopics(r.ByTopic))
	}
	return nil
}

// topTopics lists topics by how many texts got them, most first.
func topTopics(m map[string]int) string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if m[ids[i]] != m[ids[j]] {
			return m[ids[i]] > m[ids[j]]
		}
		return ids[i] < ids[j]
	})
	var parts []string
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s %d", id, m[id]))
	}
	return strings.Join(parts, ", ")
}

// Labelled is a text with, per topic id, whether it is about the topic;
// topics it does not settle are absent.
type Labelled struct {
	Text string
	Y    map[string]bool
}

// TopicSet is a named set of labelled texts.
type TopicSet struct {
	Name  string
	Texts []Labelled
}

// TopicSets returns the held-out test splits that carry topics, under the
// data folder dir: the Dreaddit test split (domestic abuse, sexual
// violence and mental illness by subreddit, as dataset.Dreaddit labels
// them), the SDCNL test split (suicide: r/SuicideWatch against
// r/depression), the GoEmotions test split (grief) and the frozen test
// part of the team-written passages (teamSet).
func TopicSets(dir string) ([]TopicSet, error) {
	dr, err := dataset.Dreaddit(filepath.Join(dir, topicmodel.DreadditTestPath))
	if err != nil {
		return nil, err
	}
	sd, err := dataset.SDCNL(filepath.Join(dir, topicmodel.SDCNLTestPath))
	if err != nil {
		return nil, err
	}
	ge, err := dataset.GoEmotions(filepath.Join(dir, topicmodel.GoEmotionsTest))
	if err != nil {
		return nil, err
	}
	grief := slices.Index(dataset.GoEmotionsLabels, "grief")
	team, err := teamSet()
	if err != nil {
		return nil, err
	}
	newsTest, err := newsSet(dir)
	if err != nil {
		return nil, err
	}
	edos, err := dataset.EDOS(filepath.Join(dir, topicmodel.EDOSPath))
	if err != nil {
		return nil, err
	}
	edosTest := dataset.EDOSSplit(edos, "test")
	return []TopicSet{
		labelled("dreaddit test", dr, func(t dataset.Text) map[string]bool {
			y := map[string]bool{}
			for l, v := range t.Y {
				if v != dataset.Unknown {
					y[dataset.DreadditTopics[l]] = v == 1
				}
			}
			return y
		}),
		labelled("sdcnl test", sd, func(t dataset.Text) map[string]bool { return map[string]bool{"suicide": t.Y[0] == 1} }),
		labelled("goemotions test", ge, func(t dataset.Text) map[string]bool { return map[string]bool{"grief": t.Y[grief] == 1} }),
		labelled("edos test", edosTest, func(t dataset.Text) map[string]bool { return map[string]bool{"sexism": t.Y[0] == 1} }),
		newsTest,
		team,
	}, nil
}

// newsSet returns the frozen test part of the team's labels of AG News
// World stories (data/news): held-out stories (dataset.HeldOut) that no
// model trains on, judged by the team for violence, war, death and
// kidnapping. The stories are public text; the labels are the team's.
func newsSet(dir string) (TopicSet, error) {
	labels, err := topicmodel.NewsLabels(news.Test)
	if err != nil {
		return TopicSet{}, err
	}
	ag, err := dataset.AGNews(filepath.Join(dir, topicmodel.AGNewsPath))
	if err != nil {
		return TopicSet{}, err
	}
	s := TopicSet{Name: "ag-news World held out (team-labelled)"}
	for _, p := range ag {
		if y, ok := labels[p.ID]; ok && p.Domain == "World" && dataset.HeldOut(p.Group) {
			s.Texts = append(s.Texts, Labelled{Text: p.Text, Y: y})
		}
	}
	if len(s.Texts) != len(labels) {
		return TopicSet{}, fmt.Errorf("news test labels: %d of %d stories found among the held-out World stories: %w", len(s.Texts), len(labels), dataset.ErrFormat)
	}
	return s, nil
}

// teamSet returns the frozen test part of the team-written passages
// (data/topics): each is about its topic or uses the topic's words in an
// innocent sense. It is a few passages written by the team, a check on
// the topics no public set carries, never a figure on its own.
func teamSet() (TopicSet, error) {
	s := TopicSet{Name: "data/topics test (team-written)"}
	for n, line := range strings.Split(string(topics.Test), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var p struct {
			Topic string `json:"topic"`
			Label int    `json:"label"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			return TopicSet{}, fmt.Errorf("team test passages: line %d: %w", n+1, err)
		}
		s.Texts = append(s.Texts, Labelled{Text: p.Text, Y: map[string]bool{p.Topic: p.Label == 1}})
	}
	return s, nil
}

func labelled(name string, texts []dataset.Text, y func(dataset.Text) map[string]bool) TopicSet {
	s := TopicSet{Name: name}
	for _, t := range texts {
		s.Texts = append(s.Texts, Labelled{Text: t.Text, Y: y(t)})
	}
	return s
}

// TopicRow is a detector's decisions on one topic of one set.
type TopicRow struct {
	Set, Topic string
	Counts     metrics.Confusion
}

// Topics runs d over every set and counts, per topic the set settles,
// whether the topic earned a warning against the label.
func Topics(ctx context.Context, d *warn.Detector, sets []TopicSet) ([]TopicRow, error) {
	var out []TopicRow
	for _, s := range sets {
		counts := map[string]*metrics.Confusion{}
		var order []string
		for _, t := range s.Texts {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			got := d.Earning(d.Detect(t.Text))
			ids := make([]string, len(got))
			for i, tp := range got {
				ids[i] = tp.ID
			}
			for topic, pos := range t.Y {
				c := counts[topic]
				if c == nil {
					c = new(metrics.Confusion)
					counts[topic] = c
					order = append(order, topic)
				}
				c.Add(slices.Contains(ids, topic), pos)
			}
		}
		sort.Strings(order)
		for _, topic := range order {
			out = append(out, TopicRow{Set: s.Name, Topic: topic, Counts: *counts[topic]})
		}
	}
	return out, nil
}

// PrintTopics writes the rows as a Markdown table of precision, recall
// and F1 per topic.
func PrintTopics(w io.Writer, rows []TopicRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| set\t| topic\t| positives\t| negatives\t| precision\t| recall\t| F1\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---:\t|---:\t|---:\t|---:\t|---:\t|")
	for _, r := range rows {
		c := r.Counts
		fmt.Fprintf(tw, "| %s\t| %s\t| %d\t| %d\t| %.3f\t| %.3f\t| %.3f\t|\n", r.Set, r.Topic, c.TP+c.FN, c.TN+c.FP, c.Precision(), c.Recall(), c.F1())
	}
	return tw.Flush()
}

// WebisEval is the Webis cross-validation of the shipped detector.
type WebisEval struct {
	// Outer is the detector end to end on each held-out fold.
	Outer topicmodel.Report
	// Inner is the nested estimate: per warning, the decisions of each
	// fold's topic model on the inner folds of its training part
	// (topicmodel.InnerConfusion), summed over the folds. The held-out
	// folds take no part in it, so a recipe may be chosen on it.
	Inner topicmodel.Report
}

// EvalWebis measures the shipped detector end to end on the Webis
// passages: the passages are cut into folds by work; for each fold the
// topic model is trained with cfg on every document of c except that
// fold's passages (see FoldModel), the detector is built on it, and each
// held-out passage counts as flagged when its warning's topic earns a
// warning. A passage is positive when at least one annotator said yes, as
// in the published evaluation. cache, if not empty, is a folder where the
// fold models are kept (see FoldModel).
func EvalWebis(ctx context.Context, c *topicmodel.Corpus, cfg topicmodel.Config, folds int, seed uint64, cache string) (WebisEval, error) {
	docs, err := c.Docs()
	if err != nil {
		return WebisEval{}, err
	}
	groups := make([]string, len(c.Webis))
	for i, p := range c.Webis {
		groups[i] = p.Group
	}
	assign := topicmodel.GroupFolds(groups, folds, seed)
	counts := make([]metrics.Confusion, len(dataset.WebisWarnings))
	inner := make([]metrics.Confusion, len(dataset.WebisWarnings))
	for k := range folds {
		if err := ctx.Err(); err != nil {
			return WebisEval{}, err
		}
		m, err := FoldModel(outsideFold(docs, assign, k), cfg, cache)
		if err != nil {
			return WebisEval{}, fmt.Errorf("fold %d: %w", k, err)
		}
		d, err := New(Options{Model: m})
		if err != nil {
			return WebisEval{}, err
		}
		for w, name := range dataset.WebisWarnings {
			ic, _ := topicmodel.InnerConfusion(m, topicmodel.WebisTopic(name))
			inner[w].TP, inner[w].FP, inner[w].TN, inner[w].FN = inner[w].TP+ic.TP, inner[w].FP+ic.FP, inner[w].TN+ic.TN, inner[w].FN+ic.FN
		}
		for i, p := range c.Webis {
			if assign[i] != k {
				continue
			}
			w := slices.IndexFunc(p.Y, func(y int8) bool { return y != dataset.Unknown })
			topic := topicmodel.WebisTopic(dataset.WebisWarnings[w])
			flagged := slices.ContainsFunc(d.Earning(d.Detect(p.Text.Text)), func(t forewarn.Topic) bool { return t.ID == topic })
			counts[w].Add(flagged, p.Y[w] == 1)
		}
	}
	report := func(title string, counts []metrics.Confusion) topicmodel.Report {
		r := topicmodel.Report{Title: title}
		for w, name := range dataset.WebisWarnings {
			r.Rows = append(r.Rows, topicmodel.LabelCounts{Name: name + " (" + topicmodel.WebisTopic(name) + ")", Counts: counts[w]})
		}
		return r
	}
	return WebisEval{
		Outer: report(fmt.Sprintf("Webis passages, the shipped detector end to end: %d folds by work, positive if at least one annotator said yes", folds), counts),
		Inner: report(fmt.Sprintf("Webis passages, nested: each fold's topic model on the inner out-of-fold passages of its training part, summed over %d folds", folds), inner),
	}, nil
}

// FoldModel trains the topic model on docs with cfg, or, when cache is a
// folder that holds the model trained on the same documents and recipe,
// loads it: training is deterministic, so the file is the model training
// would give. New models are written to cache. The file is named by a
// SHA-256 of the recipe's settings and of every document, not of the
// training code: empty the folder after changing how the recipe trains.
// A recipe with Evidence (a function) is never cached. Either way the
// model returned is the one its file holds, weights quantised as the
// embedded model's are.
func FoldModel(docs []topicmodel.Doc, cfg topicmodel.Config, cache string) (*linear.Model, error) {
	var path string
	if cache != "" && cfg.Evidence == nil {
		key, err := foldKey(docs, cfg)
		if err != nil {
			return nil, err
		}
		path = filepath.Join(cache, "topics-"+key+".fwm")
		if b, err := os.ReadFile(path); err == nil {
			return linear.Decode(b)
		}
	}
	m, err := topicmodel.Train(docs, cfg)
	if err != nil {
		return nil, err
	}
	// The file quantises the weights (linear.Model.MarshalBinary); the
	// model returned is the file's, as the embedded model is, so that a
	// fold decides the same whether it was trained now or read from the
	// cache (one Webis passage of 2,889 decided otherwise).
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if path != "" {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return nil, fmt.Errorf("cache fold model: %w", err)
		}
	}
	return linear.Decode(b)
}

// foldKey is the hex SHA-256 of the recipe (as JSON) and the documents.
func foldKey(docs []topicmodel.Doc, cfg topicmodel.Config) (string, error) {
	h := sha256.New()
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("fold key: %w", err)
	}
	h.Write(b)
	for _, d := range docs {
		fmt.Fprintf(h, "%d\x00%s\x00%d\x00%d\x00%d\x00%d\x00", len(d.Text), d.Group, d.Source, d.Yes, d.Votes, len(d.Y))
		h.Write([]byte(d.Text))
		for _, y := range d.Y {
			h.Write([]byte{byte(y)})
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// outsideFold returns the documents of docs that are not in fold k, the
// training part of that fold: assign gives each document's fold, and a
// document past its end trains every fold.
func outsideFold(docs []topicmodel.Doc, assign []int, k int) []topicmodel.Doc {
	var train []topicmodel.Doc
	for i, d := range docs {
		if i >= len(assign) || assign[i] != k {
			train = append(train, d)
		}
	}
	return train
}
