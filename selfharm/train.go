package selfharm

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"text/tabwriter"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/textseg"
)

// Paths of the datasets, relative to the shared data folder.
const (
	PathCSSRS    = "reddit-cssrs-500/500_Reddit_users_posts_labels.csv"
	PathDreaddit = "dreaddit/dreaddit-train.csv"
)

// Recipe says what the self-harm model learns from and how.
type Recipe struct {
	// Data is the folder of the public datasets.
	Data string `json:"-"`
	// Team lists the paths of the team-written training comments (JSON
	// Lines read by comment.ReadTeam; decision "support" marks risk); none
	// leaves them out.
	Team []string `json:"team"`
	// Weights scales the loss of each source by name (sdcnl, cssrs,
	// dreaddit, goemotions, team; "kind" for the kind, sad or grieving
	// GoEmotions comments, in place of goemotions); a source not listed
	// weighs 1.
	Weights map[string]float32 `json:"weights"`
	// Folds is the number of folds whose pooled out-of-fold scores
	// calibrate the model and choose its threshold.
	Folds int `json:"folds"`
	// TargetKindSupport is the largest share of the kind, sad or grieving
	// GoEmotions training comments (out of fold) that the threshold may
	// send to support.
	TargetKindSupport float64 `json:"target_kind_support"`
	// Refine, when above 0, drops after a first cross-validation the
	// windows of at-risk posts whose out-of-fold margin is below this
	// quantile of the margins of windows from posts without risk: most
	// sentences of a post written at risk are not themselves about risk.
	Refine float64 `json:"refine"`
	// MinWindowWords leaves out windows of fewer words: a fragment such
	// as "You didn't!" says nothing about the post it was cut from.
	MinWindowWords int `json:"min_window_words"`
	// DepressionWindows keeps the windows of SDCNL's r/depression posts
	// as negatives; without it only the whole posts are (many of them
	// are written at risk too, so their sentences are not clean
	// negatives).
	DepressionWindows bool `json:"depression_windows"`

	Features features.Config    `json:"features"`
	Train    linear.TrainConfig `json:"train"`
}

// DefaultRecipe is the recipe of the embedded model. Its settings were
// chosen on out-of-fold figures of the training parts (never on a test
// split) among the recipes listed in docs/moderation.md:
//   - TargetKindSupport 0.005: half the acceptance bar (at most 1% of kind,
//     sad or grieving GoEmotions test comments sent to support), leaving
//     room for the difference between training and test comments. Checked
//     on stand-in test parts (Report.KindFolds: each fold's kind comments
//     at the threshold chosen on the other four folds'): at 0.005 no fold
//     went over 0.70% with any recipe tried; with a target of 0.0075
//     three of them sent more than 1% of a fold's comments to support
//     (up to 1.19%), over the bar, so the target stays.
//   - kind 10: the kind, sad or grieving GoEmotions comments (hard
//     negatives: grief, missing someone, caring words) weigh 10, the rest
//     of GoEmotions 1. They are the comments the support threshold is
//     raised against, and at weight 1 it was raised from the macro-F1
//     threshold 0.359 to 0.451. At 10 they fall under the macro-F1
//     threshold, which then decides: out of fold, SDCNL post recall rose
//     from 0.489 to 0.598, C-SSRS from 0.293 to 0.369, and team-written
//     risk comments caught from 41 to 47 of 142 (3 at weight 3: 0.537,
//     0.311, 45; 30 at weight 30: 0.659, 0.402, but 38 of 142).
//   - Epochs 12 (8 before): with kind 10, SDCNL post recall 0.607 instead
//     of 0.598 (ROC-AUC 0.657 instead of 0.649), team-written risk 48
//     instead of 47 of 142, jokes at the threshold 2 instead of 3 of 53.
//   - No short-text member: a second model on texts
//     of at most 20 words, averaged in, caught more team-written risk
//     comments out of fold (55 instead of 47 of 142, kind 10) but sent
//     only 0.309 of the SDCNL at-risk posts to support instead of 0.598
//     (at most 40 words: 49 of 142, 0.403 with kind 3).
//   - Refine 0.95: keeping only the windows of at-risk posts that score
//     above 95% of the windows of posts without risk raised the
//     out-of-fold ROC-AUC on whole SDCNL posts from 0.638 to 0.648 and on
//     the team-written comments from 0.660 to 0.753.
//   - DepressionWindows off: the sentences of r/depression posts as
//     negatives raised the out-of-fold ROC-AUC on whole SDCNL posts from
//     0.648 to 0.702, but the model then caught 8 instead of 13 of the 34
//     short team-written risk comments out of fold (ROC-AUC 0.744 instead
//     of 0.753): sentences such as "I want to die" are in both kinds of
//     post. The model is for short comments, so they stay out.
//   - team 40: the 91 team-written comments are the only short
//     first-person risk and jokes in the data, against about 150,000
//     public windows; at weight 3 or 10 they barely moved the model (out
//     of fold, 7 and 11 of their 34 risk comments caught without
//     depression windows, 13 at 40). With all three batches (312) and
//     kind 10, at 80 the threshold was raised by the kind comments again
//     (0.374): 50 of 142 risk comments caught but SDCNL post recall
//     0.480; at 60 with kind 15, 46 of 142 and 0.544.
//   - cssrs 0.5: C-SSRS labels are the user's, not the post's, so its
//     many posts weigh half.
//   - Features: word unigrams and bigrams and character 3- to 5-grams, as
//     the comment model, without the profanity lexicon (swearing says
//     nothing about risk).
var DefaultRecipe = Recipe{
	Team:              []string{"data/selfharm/train.jsonl", "data/selfharm/batch3-train.jsonl"},
	Weights:           map[string]float32{"team": 40, "cssrs": 0.5, "kind": 10},
	Folds:             5,
	TargetKindSupport: 0.005,
	Refine:            0.95,
	Features:          features.Config{Buckets: 1 << 18, Seed: 0x73656c6668726d, WordNgrams: 2, MinN: 3, MaxN: 5, Hash: features.HashVersion},
	Train:             linear.TrainConfig{Epochs: 12, LR: 0.1, L2: 1e-6, Seed: 1, Objective: "macro-f1", NB: true},
}

// item is one training text.
type item struct {
	text   string
	y      int8
	src    string
	group  string // the post or user, so that its windows share a fold
	weight float32
	// post marks a whole post (not a window of it), kind a kind, sad or
	// grieving GoEmotions comment, public a text from a public dataset.
	post, kind, public bool
	// situation is a team-written comment's situation (risk, joke, ...).
	situation string
}

// maxWindowSentences is the longest window of consecutive sentences cut
// from a post: comments under a post are mostly one or two sentences (the
// GoEmotions comments average 1.6), so windows of one and two sentences
// teach the model the length it will judge.
const maxWindowSentences = 2

// windows returns text's windows of one to maxWindowSentences consecutive
// sentences.
func windows(text string) []string {
	ss := textseg.Sentences(text)
	var out []string
	for i := range ss {
		for n := 1; n <= maxWindowSentences && i+n <= len(ss); n++ {
			out = append(out, text[ss[i].Start:ss[i+n-1].End])
		}
	}
	return out
}

// loadSources reads the training texts. Test splits are never read:
// SDCNL test (and any C-SSRS post that is also an SDCNL test post),
// Dreaddit test, GoEmotions test, the C-SSRS users in dataset.HashTest.
func (r Recipe) loadSources() ([]item, error) {
	var out []item
	add := func(it item) {
		w, ok := r.Weights[it.src]
		if kw, kok := r.Weights["kind"]; kok && it.kind {
			w, ok = kw, true
		}
		if !ok {
			w = 1
		}
		it.weight = w
		out = append(out, it)
	}
	post := func(src, group, text string, y int8) {
		add(item{text: text, y: y, src: src, group: group, post: true, public: true})
		for _, w := range windows(text) {
			if len(textseg.Tokens(w)) < r.MinWindowWords {
				continue
			}
			add(item{text: w, y: y, src: src, group: group, public: true})
		}
	}
	p := func(rel string) string { return filepath.Join(r.Data, rel) }

	// SDCNL: r/SuicideWatch (at risk) against r/depression (low mood).
	sd, err := dataset.SDCNL(p(filepath.Join(comment.PathSDCNL, "train.csv")))
	if err != nil {
		return nil, err
	}
	for _, t := range sd {
		if t.Y[0] == 0 && !r.DepressionWindows {
			add(item{text: t.Text, y: 0, src: "sdcnl", group: t.Group, post: true, public: true})
			continue
		}
		post("sdcnl", t.Group, t.Text, t.Y[0])
	}
	sdTest, err := dataset.SDCNL(p(filepath.Join(comment.PathSDCNL, "test.csv")))
	if err != nil {
		return nil, err
	}
	inSDTest := map[string]bool{}
	for _, t := range sdTest {
		inSDTest[t.Group] = true
	}

	// C-SSRS: users rated Ideation, Behavior or Attempt are at risk;
	// Supportive users write about suicide to help others, the third
	// person and worry about someone; Indicator users are left out (risk
	// factors without ideation: neither side).
	users, err := dataset.CSSRS(p(PathCSSRS))
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if CSSRSTest(u.User) {
			continue
		}
		y, ok := CSSRSLabel(u)
		if !ok {
			continue
		}
		for _, t := range u.Posts {
			if !inSDTest[dataset.PostGroup(t)] {
				post("cssrs", "cssrs-"+u.User, t, y)
			}
		}
	}

	// Dreaddit: first-person stress, anxiety, PTSD, abuse, money and
	// relationship trouble, without suicide risk.
	dr, err := dataset.Dreaddit(p(PathDreaddit))
	if err != nil {
		return nil, err
	}
	for _, t := range dr {
		g := t.Group
		if g == "" {
			g = t.ID
		}
		post("dreaddit", g, t.Text, 0)
	}

	// GoEmotions: real comments, sadness, grief and jokes included; none
	// is a writer at risk.
	ge, err := dataset.GoEmotions(p(filepath.Join(comment.PathGoEmotions, "train.tsv")))
	if err != nil {
		return nil, err
	}
	for _, t := range ge {
		add(item{text: t.Text, y: 0, src: "goemotions", group: t.ID, kind: comment.KindComment(t.Y), public: true})
	}

	for f, path := range r.Team {
		team, err := comment.ReadTeam(path)
		if err != nil {
			return nil, err
		}
		for i, c := range team {
			y := int8(0)
			if c.Decision == "support" {
				y = 1
			}
			// The first file's groups keep the names they had when it was
			// the only one, so that its comments keep their folds.
			g := fmt.Sprintf("team-%d", i)
			if f > 0 {
				g = fmt.Sprintf("team-%d-%d", f, i)
			}
			add(item{text: c.Text, y: y, src: "team", group: g, situation: c.Situation})
		}
	}
	return out, nil
}

// CSSRSTest reports whether a C-SSRS user is in the fixed test part (the
// dataset has no official split: dataset.HashTest by user).
func CSSRSTest(user string) bool { return dataset.HashTest("cssrs/" + user) }

// CSSRSLabel maps a C-SSRS user's level to 1 (Ideation, Behavior,
// Attempt) or 0 (Supportive); Indicator is neither.
func CSSRSLabel(u dataset.CSSRSUser) (int8, bool) {
	switch {
	case u.AtRisk():
		return 1, true
	case u.Level == "Supportive":
		return 0, true
	}
	return 0, false
}

// Report is a training's out-of-fold figures.
type Report struct {
	// Threshold is the chosen support threshold; MacroF1Threshold the one
	// that maximises macro-F1 over the public out-of-fold scores, and
	// KindThreshold the one that meets TargetKindSupport.
	Threshold, MacroF1Threshold, KindThreshold float64
	// KindShare is the share of kind GoEmotions comments at or over
	// Threshold, out of fold.
	KindShare float64
	// KindFolds checks that the threshold carries over to comments it
	// was not chosen on: per fold, the share of that fold's kind
	// GoEmotions comments sent to support at the threshold chosen the
	// same way on the other folds' kind comments alone.
	KindFolds []float64
	// Sets holds figures per source at Threshold.
	Sets []SetReport

	// items and probs are the training texts and their calibrated
	// out-of-fold scores, for the package's own analyses.
	items []item
	probs []float64
}

// SetReport is the out-of-fold figures of one set of training texts.
type SetReport struct {
	Name string
	metrics.Binary
}

// Train trains the self-harm model following r: a cross-validation by post
// or user gives every training text an out-of-fold score; the pooled
// scores of the public texts calibrate the final model (Platt scaling),
// and its threshold is the higher of the macro-F1 threshold and the one
// that sends at most TargetKindSupport of the kind, sad or grieving
// GoEmotions comments to support.
func Train(r Recipe, progress linear.Progress) (*linear.Model, *Report, error) {
	items, err := r.loadSources()
	if err != nil {
		return nil, nil, err
	}
	ex, err := features.NewExtractor(r.Features)
	if err != nil {
		return nil, nil, err
	}
	all := make([]linear.Example, len(items))
	var feats []features.Feature
	for i, it := range items {
		feats, _ = ex.Extract(feats[:0], it.text)
		b := make([]uint32, len(feats))
		for j, f := range feats {
			b[j] = f.Bucket
		}
		all[i] = linear.Example{Buckets: b, Y: []int8{it.y}, Weight: it.weight}
	}
	folds := max(r.Folds, 2)
	fold := make([]int, len(items))
	for i, it := range items {
		fold[i] = int(xxhash.Sum64String("fold/"+it.group) % uint64(folds))
	}
	margins, err := r.outOfFold(all, fold, folds)
	if err != nil {
		return nil, nil, err
	}
	if r.Refine > 0 {
		// A window of an at-risk post is not itself at risk when it reads
		// like the windows of posts that are not: such windows (below the
		// Refine quantile of the negative windows' out-of-fold margins)
		// take no further part, and the cross-validation runs again.
		var neg []float64
		for i, it := range items {
			if !it.post && it.public && it.y == 0 {
				neg = append(neg, margins[i])
			}
		}
		cut := quantile(neg, r.Refine)
		for i, it := range items {
			if !it.post && it.public && it.y == 1 && margins[i] < cut {
				all[i].Y[0], items[i].y = linear.Unknown, linear.Unknown
			}
		}
		if margins, err = r.outOfFold(all, fold, folds); err != nil {
			return nil, nil, err
		}
	}
	m, err := linear.Train(all, []string{Label}, r.Features, r.Train, progress)
	if err != nil {
		return nil, nil, err
	}
	var zs []float64
	var ys []int8
	for i, it := range items {
		if it.public && it.y != linear.Unknown {
			zs, ys = append(zs, margins[i]), append(ys, it.y)
		}
	}
	m.CalibrateLabel(0, zs, ys, r.Train.Objective)
	probs := make([]float64, len(items))
	for i := range items {
		probs[i] = m.Prob(0, margins[i])
	}
	rep := &Report{MacroF1Threshold: m.Thresholds[0], items: items, probs: probs}
	var kind []float64
	for i, it := range items {
		if it.kind {
			kind = append(kind, probs[i])
		}
	}
	rep.KindThreshold = quantile(kind, 1-r.TargetKindSupport)
	rep.Threshold = supportThreshold(rep.MacroF1Threshold, kind, r.TargetKindSupport)
	m.Thresholds[0] = rep.Threshold
	n := 0
	for _, p := range kind {
		if p >= rep.Threshold {
			n++
		}
	}
	rep.KindShare = float64(n) / float64(max(len(kind), 1))
	rep.KindFolds = standIn(items, probs, fold, folds, rep.MacroF1Threshold, r.TargetKindSupport)

	if m.Notes == nil {
		m.Notes = map[string]string{}
	}
	sets := []struct {
		name string
		keep func(it item) bool
		note bool // store a macro-F1 threshold for the set's test split
	}{
		{"sdcnl", func(it item) bool { return it.src == "sdcnl" && it.post }, true},
		{"sdcnl windows", func(it item) bool { return it.src == "sdcnl" && !it.post }, false},
		{"cssrs", func(it item) bool { return it.src == "cssrs" && it.post }, true},
		{"cssrs windows", func(it item) bool { return it.src == "cssrs" && !it.post }, false},
		{"dreaddit", func(it item) bool { return it.src == "dreaddit" && it.post }, false},
		{"goemotions", func(it item) bool { return it.src == "goemotions" }, false},
		{"team", func(it item) bool { return it.src == "team" }, false},
		{"team risk", func(it item) bool { return it.src == "team" && it.situation == "risk" }, false},
		{"team joke", func(it item) bool { return it.src == "team" && it.situation == "joke" }, false},
		{"team other", func(it item) bool { return it.src == "team" && it.situation == "other" }, false},
		{"team recovery", func(it item) bool { return it.src == "team" && it.situation == "recovery" }, false},
		{"team sad", func(it item) bool { return it.src == "team" && it.situation == "sad" }, false},
	}
	for _, s := range sets {
		var ps []float64
		var gold []int8
		for i, it := range items {
			if s.keep(it) && it.y != linear.Unknown {
				ps, gold = append(ps, probs[i]), append(gold, it.y)
			}
		}
		if len(ps) == 0 {
			continue
		}
		rep.Sets = append(rep.Sets, SetReport{Name: s.name, Binary: metrics.Compute(ps, gold, rep.Threshold)})
		if s.note {
			th, _ := linear.BestThreshold(ps, gold, "macro-f1")
			m.Notes["threshold/"+s.name] = strconv.FormatFloat(th, 'g', 6, 64)
		}
	}
	m.Notes["target_kind_support"] = strconv.FormatFloat(r.TargetKindSupport, 'g', 6, 64)
	// Round-trip through the file format so that what is returned is what
	// ships: quantised weights.
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	if m, err = linear.Decode(b); err != nil {
		return nil, nil, err
	}
	return m, rep, nil
}

// outOfFold trains one model per fold on the other folds and returns
// every example's margin from the model that did not see it.
func (r Recipe) outOfFold(all []linear.Example, fold []int, folds int) ([]float64, error) {
	margins := make([]float64, len(all))
	for f := range folds {
		var fit []linear.Example
		for i := range all {
			if fold[i] != f && all[i].Y[0] != linear.Unknown {
				fit = append(fit, all[i])
			}
		}
		fm, err := linear.Train(fit, []string{Label}, r.Features, r.Train, nil)
		if err != nil {
			return nil, err
		}
		var z [1]float64
		for i := range all {
			if fold[i] == f {
				fm.MarginsOf(&all[i], z[:])
				margins[i] = z[0]
			}
		}
	}
	return margins, nil
}

// supportThreshold is the support threshold: the macro-F1 threshold,
// raised where needed so that at most a share target of the kind
// comments' scores (kind) reach it, rounded up to the third decimal.
func supportThreshold(macroF1 float64, kind []float64, target float64) float64 {
	return math.Ceil(max(macroF1, quantile(kind, 1-target))*1000) / 1000
}

// standIn returns, per fold, the share of the fold's kind comments at or
// over the threshold chosen (as Train does, at least macroF1) on the kind
// comments of the other folds to send at most target of them to support.
func standIn(items []item, probs []float64, fold []int, folds int, macroF1, target float64) []float64 {
	out := make([]float64, folds)
	for f := range folds {
		var fit, held []float64
		for i, it := range items {
			switch {
			case !it.kind:
			case fold[i] == f:
				held = append(held, probs[i])
			default:
				fit = append(fit, probs[i])
			}
		}
		th := supportThreshold(macroF1, fit, target)
		n := 0
		for _, p := range held {
			if p >= th {
				n++
			}
		}
		out[f] = float64(n) / float64(max(len(held), 1))
	}
	return out
}

// quantile returns the q-quantile (0 to 1) of ps: the score above which a
// share 1-q of them lies.
func quantile(ps []float64, q float64) float64 {
	if len(ps) == 0 {
		return 0
	}
	s := slices.Clone(ps)
	sort.Float64s(s)
	k := min(len(s)-1, int(math.Ceil(q*float64(len(s))))-1)
	return s[max(k, 0)]
}

// Write prints the report as a table.
func (r *Report) Write(w io.Writer) error {
	fmt.Fprintf(w, "support threshold %.3f: the higher of the out-of-fold macro-F1 threshold %.3f and %.3f, under which %.2f%% of the kind, sad or grieving GoEmotions training comments would get support (out of fold)\n",
		r.Threshold, r.MacroF1Threshold, r.KindThreshold, 100*r.KindShare)
	if len(r.KindFolds) > 0 {
		fmt.Fprint(w, "each fold's kind comments at the threshold chosen so on the other folds' (stand-in test parts):")
		for _, s := range r.KindFolds {
			fmt.Fprintf(w, " %.2f%%", 100*s)
		}
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "set (out of fold)\tn\tpositives\tprecision\trecall\tF1\tmacro-F1\tROC-AUC\tflagged")
	for _, s := range r.Sets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\n", s.Name, s.N, s.Positives, s.Precision, s.Recall, s.F1, s.MacroF1, s.ROCAUC, s.TP+s.FP)
	}
	return tw.Flush()
}
