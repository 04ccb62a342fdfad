package moderate

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/selfharm"
)

// RuleAudit is the measured effect of one category of the built-in
// phrase patterns: on public comments the rules were not written from,
// how many more the moderator holds (or, for risk, sends to support) with
// the category than without it, under a sensitive post.
type RuleAudit struct {
	Category string
	// Right counts the new decisions on comments whose public labels say
	// the decision is right (hostile for a hold, at risk for support);
	// Wrong those on comments whose labels say it is not.
	Right, Wrong int
	// Kind is the number of kind, sad or grieving GoEmotions training
	// comments newly held or supported, out of KindN.
	Kind, KindN int
	// Sets holds the new decisions per set of comments.
	Sets []AuditSet
}

// AuditSet is the new decisions of a category on one set of comments.
type AuditSet struct {
	Name string
	// Right says whether the category's decision is right on this set.
	Right  bool
	N, New int
}

// MaxKindGain is the largest share of kind, sad or grieving GoEmotions
// training comments a phrase category may newly hold or send to support
// and still earn its place: 0.2%, a tenth of the 2% that all the hold
// heads together may hold (comment.TargetKindHeldSensitive).
const MaxKindGain = 0.002

// Earns reports whether the category earns its place: it decides more
// comments rightly than wrongly and costs at most MaxKindGain of the kind
// comments.
func (a RuleAudit) Earns() bool {
	return a.Right > a.Wrong && float64(a.Kind) <= MaxKindGain*float64(a.KindN)
}

// auditSet is a named set of public comments and the decision that is
// right for them.
type auditSet struct {
	name  string
	right bool // a hold (or support, for risk) is right on this set
	kind  bool
	texts []string
}

// AuditPhrases measures every category of the built-in patterns under
// policy p against public data under data (training parts only; no rule
// was written from them): hold categories on OLID's offensive and
// inoffensive training tweets, the toxic-spans comments outside the
// SemEval test, Latent Hatred's training part and the kind, sad or
// grieving GoEmotions training comments; risk (with the idioms that
// cancel it) on SDCNL's r/SuicideWatch training posts, the posts of the
// C-SSRS training users rated at risk and Supportive, Dreaddit's training
// posts and the GoEmotions training comments.
func AuditPhrases(c *comment.Classifier, sh *selfharm.Model, p Policy, data string) ([]RuleAudit, error) {
	hold, risk, err := auditSets(data)
	if err != nil {
		return nil, err
	}
	full, err := build(c, sh, p, defaultPatterns)
	if err != nil {
		return nil, err
	}
	var out []RuleAudit
	for _, cat := range patternCategories(defaultPatterns) {
		if cat == catIdiom {
			continue // measured with risk, the matches it cancels
		}
		drop := []string{cat}
		sets, want := hold, forewarn.Hold
		if cat == catRisk {
			drop, sets, want = []string{catRisk, catIdiom}, risk, forewarn.Support
		}
		without, err := build(c, sh, p, withoutCategories(defaultPatterns, drop...))
		if err != nil {
			return nil, err
		}
		a := RuleAudit{Category: strings.Join(drop, "+")}
		for _, s := range sets {
			as := AuditSet{Name: s.name, Right: s.right, N: len(s.texts)}
			for _, t := range s.texts {
				if full.Decide(sensitiveEvalPost, t).Decision == want && without.Decide(sensitiveEvalPost, t).Decision != want {
					as.New++
				}
			}
			if s.right {
				a.Right += as.New
			} else {
				a.Wrong += as.New
			}
			if s.kind {
				a.Kind, a.KindN = as.New, as.N
			}
			a.Sets = append(a.Sets, as)
		}
		out = append(out, a)
	}
	return out, nil
}

// auditSets reads the public comments AuditPhrases measures on.
func auditSets(data string) (hold, risk []auditSet, err error) {
	p := func(rel string) string { return filepath.Join(data, rel) }
	olid, err := dataset.OLIDLevels(p(comment.PathOLID))
	if err != nil {
		return nil, nil, err
	}
	off, not := auditSet{name: "OLID train, offensive", right: true}, auditSet{name: "OLID train, not offensive"}
	for _, t := range olid {
		if t.A == "OFF" {
			off.texts = append(off.texts, t.Text)
		} else {
			not.texts = append(not.texts, t.Text)
		}
	}
	tsd, err := dataset.ToxicSpansSemEval(p(comment.PathToxicTest))
	if err != nil {
		return nil, nil, err
	}
	inTest := map[string]bool{}
	for _, t := range tsd {
		inTest[strings.TrimSpace(t.Text)] = true
	}
	acl, err := dataset.ToxicSpansACL(p(comment.PathToxicACL))
	if err != nil {
		return nil, nil, err
	}
	toxic := auditSet{name: "toxic spans, outside SemEval test", right: true}
	for _, t := range acl {
		if !inTest[strings.TrimSpace(t.Text)] {
			toxic.texts = append(toxic.texts, t.Text)
		}
	}
	ih, err := dataset.ImplicitHate(p(comment.PathImplicitHate))
	if err != nil {
		return nil, nil, err
	}
	hate, notHate := auditSet{name: "Latent Hatred train, hate", right: true}, auditSet{name: "Latent Hatred train, not hate"}
	for _, t := range ih {
		switch {
		case dataset.HashTest(t.ID):
		case t.Y[0] == 1:
			hate.texts = append(hate.texts, t.Text)
		default:
			notHate.texts = append(notHate.texts, t.Text)
		}
	}
	ge, err := dataset.GoEmotions(p(filepath.Join(comment.PathGoEmotions, "train.tsv")))
	if err != nil {
		return nil, nil, err
	}
	kind, other := auditSet{name: "GoEmotions train, kind/sad/grieving", kind: true}, auditSet{name: "GoEmotions train, other"}
	for _, t := range ge {
		if comment.KindComment(t.Y) {
			kind.texts = append(kind.texts, t.Text)
		} else {
			other.texts = append(other.texts, t.Text)
		}
	}
	hold = []auditSet{off, toxic, hate, not, notHate, kind}

	sd, err := dataset.SDCNL(p(filepath.Join(comment.PathSDCNL, "train.csv")))
	if err != nil {
		return nil, nil, err
	}
	sw := auditSet{name: "SDCNL train, r/SuicideWatch", right: true}
	for _, t := range sd {
		if t.Y[0] == 1 {
			sw.texts = append(sw.texts, t.Text)
		}
	}
	users, err := dataset.CSSRS(p(selfharm.PathCSSRS))
	if err != nil {
		return nil, nil, err
	}
	atRisk, supportive := auditSet{name: "C-SSRS train users, at risk", right: true}, auditSet{name: "C-SSRS train users, Supportive"}
	for _, u := range users {
		y, ok := selfharm.CSSRSLabel(u)
		if !ok || selfharm.CSSRSTest(u.User) {
			continue
		}
		if y == 1 {
			atRisk.texts = append(atRisk.texts, u.Posts...)
		} else {
			supportive.texts = append(supportive.texts, u.Posts...)
		}
	}
	dr, err := dataset.Dreaddit(p(selfharm.PathDreaddit))
	if err != nil {
		return nil, nil, err
	}
	stress := auditSet{name: "Dreaddit train"}
	for _, t := range dr {
		stress.texts = append(stress.texts, t.Text)
	}
	risk = []auditSet{sw, atRisk, supportive, stress, other, kind}
	return hold, risk, nil
}

// patternCategories lists the categories of pattern text in order.
func patternCategories(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if len(line) > 2 && line[0] == '[' && line[len(line)-1] == ']' {
			out = append(out, line[1:len(line)-1])
		}
	}
	return out
}

// withoutCategories returns pattern text without the patterns of the
// named categories.
func withoutCategories(text string, drop ...string) string {
	var b strings.Builder
	skip := false
	for _, line := range strings.SplitAfter(text, "\n") {
		t := strings.TrimSpace(line)
		if len(t) > 2 && t[0] == '[' && t[len(t)-1] == ']' {
			skip = false
			for _, d := range drop {
				skip = skip || t[1:len(t)-1] == d
			}
		}
		if !skip {
			b.WriteString(line)
		}
	}
	return b.String()
}

// WriteAudit prints audits as a table: per category and set, the new
// decisions, then whether the category earns its place.
func WriteAudit(w io.Writer, audits []RuleAudit) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "category\tcomments (under a sensitive post)\tn\tnewly held or supported\tright")
	for _, a := range audits {
		for _, s := range a.Sets {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%v\n", a.Category, s.Name, s.N, s.New, s.Right)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "category\tright\twrong\tkind comments\tearns its place")
	for _, a := range audits {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%v\n", a.Category, a.Right, a.Wrong, share(a.Kind, a.KindN), a.Earns())
	}
	return tw.Flush()
}
