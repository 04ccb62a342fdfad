package moderate

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/selfharm"
)

// HeadRow is one line of the per-head table: a head's figures on a public
// test split, at the threshold chosen for that dataset on out-of-fold
// scores of its training part.
type HeadRow struct {
	Split, Head string
	Threshold   float64
	metrics.Binary
}

// DecisionRow is one line of the decision table: the share of a set of
// comments that the moderator publishes, holds or sends to support.
type DecisionRow struct {
	Set, Post                 string
	N, Publish, Hold, Support int
	// Right counts decisions equal to the set's expected ones, where the
	// set has them; -1 otherwise.
	Right int
}

// EvalReport is what EvaluateModeration measures.
type EvalReport struct {
	Heads     []HeadRow
	SpanF1    float64
	SpanTexts int
	Decisions []DecisionRow
	// ByDecision counts, for the team-written test part, the comments
	// whose expected decision is each decision, and how many of them got it.
	ByDecision map[forewarn.Decision][2]int
	// SelfHarmTeam counts, for the team-written self-harm test part, the
	// comments of each situation and how many got their decision under a
	// sensitive post.
	SelfHarmTeam map[string][2]int
}

// Posts the decision rows are measured under.
var (
	sensitiveEvalPost = &forewarn.Post{ID: "eval-sensitive", Sensitive: true, Topics: []forewarn.Topic{{ID: "grief"}, {ID: "pregnancy-loss"}}}
	neutralEvalPost   = &forewarn.Post{ID: "eval-neutral"}
)

// EvaluateModeration measures the moderator m on the public test splits
// under data and on the team-written test parts at team and shTeam (the
// self-harm comments; empty skips either):
// per head, precision, recall, macro-F1 and ROC-AUC; the toxic-spans
// SemEval span F1; and the decisions under a sensitive and a neutral post
// on kind, sad or grieving GoEmotions test comments and on each class of
// the OLID A, EDOS and SDCNL test splits. Nothing measured here
// is trained or tuned on.
func EvaluateModeration(m *Moderator, data, team, shTeam string) (*EvalReport, error) {
	c := m.c
	r := &EvalReport{ByDecision: map[forewarn.Decision][2]int{}}
	p := func(rel string) string { return filepath.Join(data, rel) }
	head := func(split, label, bench string, texts []string, gold []int8) {
		l := slices.Index(c.Labels(), label)
		if l < 0 || len(texts) == 0 {
			return
		}
		th := c.Model().Thresholds[l]
		if v, err := strconv.ParseFloat(c.Model().Notes["threshold/"+bench], 64); err == nil {
			th = v
		}
		probs := make([]float64, len(c.Labels()))
		scores := make([]float64, len(texts))
		for i, t := range texts {
			c.Explain(t, probs, nil)
			scores[i] = probs[l]
		}
		r.Heads = append(r.Heads, HeadRow{Split: split, Head: label, Threshold: th, Binary: metrics.Compute(scores, gold, th)})
	}
	fromTexts := func(ts []dataset.Text, y func(dataset.Text) int8) ([]string, []int8) {
		var texts []string
		var gold []int8
		for _, t := range ts {
			if g := y(t); g != dataset.Unknown {
				texts, gold = append(texts, t.Text), append(gold, g)
			}
		}
		return texts, gold
	}

	// The sets whose decisions are counted, besides the per-head figures.
	var sets []textSet
	edos, err := dataset.EDOS(p(comment.PathEDOS))
	if err != nil {
		return nil, err
	}
	edosTest := dataset.EDOSSplit(edos, "test")
	texts, gold := fromTexts(edosTest, func(t dataset.Text) int8 { return t.Y[0] })
	head("EDOS test (sexist)", "sexism", "edos", texts, gold)
	sets = append(sets, split("EDOS test", "sexist", "not sexist", texts, gold)...)

	for _, level := range []string{"a", "b"} {
		ts, err := dataset.OLIDTest(p("olid"), level)
		if err != nil {
			return nil, err
		}
		if level == "a" {
			texts, gold = fromTexts(ts, func(t dataset.Text) int8 { return t.Y[0] })
			head("OLID test A (offensive)", "offensive", "olid-a", texts, gold)
			sets = append(sets, split("OLID test A", "offensive", "not offensive", texts, gold)...)
		} else {
			texts, gold = fromTexts(ts, func(t dataset.Text) int8 { return t.Y[1] })
			head("OLID test B (targeted)", "targeted", "olid-b", texts, gold)
		}
	}

	ih, err := dataset.ImplicitHate(p(comment.PathImplicitHate))
	if err != nil {
		return nil, err
	}
	texts, gold = fromTexts(ih, func(t dataset.Text) int8 {
		if !dataset.HashTest(t.ID) {
			return dataset.Unknown
		}
		return t.Y[0]
	})
	head("Latent Hatred hash test (hate)", "hate", "implicit-hate", texts, gold)
	texts, gold = fromTexts(ih, func(t dataset.Text) int8 {
		if !dataset.HashTest(t.ID) || t.Y[0] == 0 {
			return dataset.Unknown
		}
		return t.Y[2]
	})
	head("Latent Hatred hash test (threatening among implicit)", "threat", "", texts, gold)

	sf, err := dataset.Stormfront(p(comment.PathStormfront))
	if err != nil {
		return nil, err
	}
	texts, gold = fromTexts(sf, func(t dataset.Text) int8 {
		if !dataset.HashTest(t.Group) {
			return dataset.Unknown
		}
		return t.Y[0]
	})
	head("Stormfront hash test (hate)", "hate", "stormfront", texts, gold)

	tsd, err := dataset.ToxicSpansSemEval(p(comment.PathToxicTest))
	if err != nil {
		return nil, err
	}
	acl, err := dataset.ToxicSpansACL(p(comment.PathToxicACL))
	if err != nil {
		return nil, err
	}
	inTest := map[string]bool{}
	for _, t := range tsd {
		inTest[strings.TrimSpace(t.Text)] = true
	}
	var aclTest []dataset.Text
	for _, t := range acl {
		if inTest[strings.TrimSpace(t.Text)] {
			aclTest = append(aclTest, t)
		}
	}
	for _, h := range []struct {
		typ         int
		label, name string
	}{{0, "insult", "toxic-spans-insult"}, {1, "threat", "toxic-spans-threat"}, {2, "hate", "toxic-spans-identity"}, {3, "profanity", "toxic-spans-profanity"}} {
		texts, gold = fromTexts(aclTest, func(t dataset.Text) int8 { return t.Y[h.typ] })
		head("toxic spans SemEval test ("+dataset.ToxicSpanTypes[h.typ]+")", h.label, h.name, texts, gold)
	}
	if sm := c.Spans(); sm != nil {
		r.SpanF1, r.SpanTexts = sm.MeanSpanF1(tsd), len(tsd)
	}

	// The self-harm model, at the threshold chosen for each dataset on
	// its training part and at the support threshold.
	shHead := func(split, bench string, texts []string, gold []int8) {
		scores := make([]float64, len(texts))
		for i, t := range texts {
			scores[i] = m.sh.Score(t)
		}
		if v, err := strconv.ParseFloat(m.sh.Linear().Notes["threshold/"+bench], 64); err == nil {
			r.Heads = append(r.Heads, HeadRow{Split: split, Head: ScoreSelfHarm, Threshold: v, Binary: metrics.Compute(scores, gold, v)})
		}
		th := m.policy.Thresholds.Sensitive[ScoreSelfHarm]
		r.Heads = append(r.Heads, HeadRow{Split: split + " at the support threshold", Head: ScoreSelfHarm, Threshold: th, Binary: metrics.Compute(scores, gold, th)})
	}
	sd, err := dataset.SDCNL(p(filepath.Join(comment.PathSDCNL, "test.csv")))
	if err != nil {
		return nil, err
	}
	texts, gold = fromTexts(sd, func(t dataset.Text) int8 { return t.Y[0] })
	shHead("SDCNL test (r/SuicideWatch vs r/depression)", "sdcnl", texts, gold)
	sets = append(sets, split("SDCNL test", "r/SuicideWatch", "r/depression", texts, gold)...)

	users, err := dataset.CSSRS(p(selfharm.PathCSSRS))
	if err != nil {
		return nil, err
	}
	texts, gold = nil, nil
	for _, u := range users {
		if y, ok := selfharm.CSSRSLabel(u); ok && selfharm.CSSRSTest(u.User) {
			for _, t := range u.Posts {
				texts, gold = append(texts, t), append(gold, y)
			}
		}
	}
	shHead("C-SSRS hash test posts (users at risk vs Supportive)", "cssrs", texts, gold)
	sets = append(sets, split("C-SSRS hash test posts", "users at risk", "Supportive users", texts, gold)...)

	ge, err := dataset.GoEmotions(p(filepath.Join(comment.PathGoEmotions, "test.tsv")))
	if err != nil {
		return nil, err
	}
	var kind, other []string
	for _, t := range ge {
		if comment.KindComment(t.Y) {
			kind = append(kind, t.Text)
		} else {
			other = append(other, t.Text)
		}
	}
	sets = append([]textSet{{"GoEmotions test, kind/sad/grieving", kind}, {"GoEmotions test, other", other}}, sets...)
	for _, set := range sets {
		for _, post := range []*forewarn.Post{sensitiveEvalPost, neutralEvalPost} {
			r.Decisions = append(r.Decisions, decide(m, set.name, post, set.texts, nil))
		}
	}

	if team != "" {
		tc, err := comment.ReadTeam(team)
		if err != nil {
			return nil, err
		}
		for _, c := range tc {
			post := neutralEvalPost
			if c.SensitivePost() {
				post = sensitiveEvalPost
			}
			d := m.Decide(post, c.Text).Decision
			k := r.ByDecision[forewarn.Decision(c.Decision)]
			k[0]++
			if d == forewarn.Decision(c.Decision) {
				k[1]++
			}
			r.ByDecision[forewarn.Decision(c.Decision)] = k
		}
	}
	if shTeam != "" {
		tc, err := comment.ReadTeam(shTeam)
		if err != nil {
			return nil, err
		}
		r.SelfHarmTeam = map[string][2]int{}
		for _, c := range tc {
			d := m.Decide(sensitiveEvalPost, c.Text).Decision
			k := r.SelfHarmTeam[c.Situation]
			k[0]++
			if d == forewarn.Decision(c.Decision) {
				k[1]++
			}
			r.SelfHarmTeam[c.Situation] = k
		}
	}
	return r, nil
}

// textSet is a named set of comments whose decisions are counted.
type textSet struct {
	name  string
	texts []string
}

// split divides texts by their gold label into two named sets.
func split(name, pos, neg string, texts []string, gold []int8) []textSet {
	out := []textSet{{name: name + ", " + pos}, {name: name + ", " + neg}}
	for i, t := range texts {
		k := 1
		if gold[i] == 1 {
			k = 0
		}
		out[k].texts = append(out[k].texts, t)
	}
	return out
}

// decide counts m's decisions on texts under post; want, when set, holds
// the expected decision of each text.
func decide(m *Moderator, set string, post *forewarn.Post, texts []string, want []forewarn.Decision) DecisionRow {
	row := DecisionRow{Set: set, Post: "neutral", N: len(texts), Right: -1}
	if post.Sensitive {
		row.Post = "sensitive"
	}
	if want != nil {
		row.Right = 0
	}
	for i, t := range texts {
		d := m.Decide(post, t).Decision
		switch d {
		case forewarn.Hold:
			row.Hold++
		case forewarn.Support:
			row.Support++
		default:
			row.Publish++
		}
		if want != nil && d == want[i] {
			row.Right++
		}
	}
	return row
}

// Write prints the report as tables.
func (r *EvalReport) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "test split\thead\tn\tpositives\tthreshold\tprecision\trecall\tF1\tmacro-F1\tROC-AUC")
	for _, h := range r.Heads {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n",
			h.Split, h.Head, h.N, h.Positives, h.Threshold, h.Precision, h.Recall, h.F1, h.MacroF1, h.ROCAUC)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.SpanTexts > 0 {
		fmt.Fprintf(w, "\ntoxic spans SemEval test: span F1 %.4f over %d comments\n", r.SpanF1, r.SpanTexts)
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "comments\tpost\tn\tpublished\theld\tsupport")
	for _, d := range r.Decisions {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", d.Set, d.Post, d.N, share(d.Publish, d.N), share(d.Hold, d.N), share(d.Support, d.N))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.ByDecision) > 0 {
		fmt.Fprintln(w, "\nteam-written frozen test part, accuracy by expected decision:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "expected\tn\tright\taccuracy")
		for _, d := range []forewarn.Decision{forewarn.Publish, forewarn.Hold, forewarn.Support} {
			k := r.ByDecision[d]
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", d, k[0], k[1], share(k[1], k[0]))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.SelfHarmTeam) > 0 {
		fmt.Fprintln(w, "\nteam-written self-harm frozen test part, under a sensitive post (risk: support; the rest: publish):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "situation\tn\tright\taccuracy")
		for _, sit := range []string{"risk", "joke", "other", "recovery", "sad"} {
			k := r.SelfHarmTeam[sit]
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", sit, k[0], k[1], share(k[1], k[0]))
		}
		return tw.Flush()
	}
	return nil
}

func share(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%.1f%%)", k, 100*float64(k)/float64(n))
}
