// Package moderate decides comments in the context of the post they
// answer: publish, hold for a moderator, or support a commenter who seems
// at risk.
//
// Decisions come from learned models: a comment is held when the comment
// model's insult, hate, sexism or threat head (package comment) passes its
// threshold for the post's kind (sensitive or not), and its writer is
// offered support when the self-harm model (package selfharm) passes its
// own. The thresholds are in the policy, chosen on out-of-fold predictions
// for stated targets (see docs/moderation.md). Swearing (offensive,
// profanity) never holds by itself, so kind swearing is published.
//
// A phrase layer carries what a publisher configures: allow phrases (a
// comment with one is not held on the model's scores alone), deny phrases
// (always held), and patterns by category in the syntax of patterns.txt.
// patterns.txt itself keeps only the rule categories that show a measured
// gain on public data they were not written from (AuditPhrases; see
// docs/moderation.md). A hostile phrase that is negated ("you are not an
// attention seeker") or quoted to be rejected does not count.
package moderate

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/negation"
	"github.com/forewarn/forewarn/profanity"
	"github.com/forewarn/forewarn/selfharm"
	"github.com/forewarn/forewarn/textseg"
)

// Score names: the phrase layer's hostility, added to the model's labels,
// and the self-harm model's score.
const (
	ScoreHostile  = "hostile"
	ScoreSelfHarm = selfharm.Label
)

// reasonRisk is the reason of a support decision.
const reasonRisk = "possible risk of self-harm"

// headReasons are the reasons of a hold by each model head.
var headReasons = map[string]string{
	"insult": "hostility aimed at a person",
	"hate":   "hateful language against a group",
	"sexism": "sexist language",
	"threat": "threat or wish of harm",
}

// Moderator implements forewarn.Moderator. It is safe for concurrent use.
type Moderator struct {
	// c is the comment model, whose hostility heads hold a comment, and
	// sh the self-harm model, whose score sends a commenter to support.
	c  *comment.Classifier
	sh *selfharm.Model
	// labels are c's labels; scoreNames the keys of a verdict's scores
	// (c's labels, then the phrase layer's and self_harm when c has none).
	labels, scoreNames []string
	policy             Policy
	// support is the policy's support text with the local number in it.
	support string

	// m holds the compiled phrase patterns; each names its category by an
	// index of cats. risk, idiom, allow and deny are the indexes of the
	// categories with a fixed role (see roleCategories).
	m                        *matcher
	cats                     []catInfo
	risk, idiom, allow, deny int

	// sensitive holds the topics that make a post sensitive; situations
	// pick the nudge message from a post's topics, first match first.
	sensitive  map[string]bool
	situations []situation
	// holdMask has a bit per label of c that holds a comment, and
	// thNeutral and thSens the policy's threshold per label of c.
	holdMask          uint64
	thNeutral, thSens []float64

	pool sync.Pool // of *scratch

	// Word sets by interned word: negators cancel a hostile phrase after
	// them, reportWords and rejectWords mark a phrase quoted to be
	// rejected, firstPerson tells a risk phrase about the writer from one
	// about someone else (see words.go).
	negators, reportWords, rejectWords, firstPerson map[uint32]bool
	wordBut                                         uint32
}

type catInfo struct {
	name, reason  string
	weight, boost float64
	topics        map[string]bool
	hostile       bool // counts toward the hostility score
	contextual    bool // needs a sensitive post to hold by itself
	message       string
}

type situation struct {
	name   string
	topics map[string]bool
}

var _ forewarn.Moderator = (*Moderator)(nil)

// roleCategories are the phrase categories with a fixed role, after the
// policy's own categories: risk phrases send a commenter to support,
// idioms and allow phrases cancel the matches they overlap, deny phrases
// hold.
var roleCategories = []catInfo{
	{name: catRisk},
	{name: catIdiom},
	{name: catAllow},
	{name: catDeny, reason: "matches a blocked phrase", weight: 1, hostile: true},
}

// New returns a moderator on comment classifier c (nil means the
// embedded model) and the embedded self-harm model, under policy p.
func New(c *comment.Classifier, p Policy) (*Moderator, error) {
	return build(c, nil, p, defaultPatterns)
}

// NewWithSelfHarm is New with the self-harm model sh (nil means the
// embedded one).
func NewWithSelfHarm(c *comment.Classifier, sh *selfharm.Model, p Policy) (*Moderator, error) {
	return build(c, sh, p, defaultPatterns)
}

// build returns a moderator on the models (nil: the embedded ones) under
// policy p, with the built-in phrase patterns in the syntax of
// patterns.txt.
func build(c *comment.Classifier, sh *selfharm.Model, p Policy, patterns string) (*Moderator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var err error
	if c == nil {
		if c, err = comment.Default(); err != nil {
			return nil, fmt.Errorf("load comment model: %w", err)
		}
	}
	if sh == nil {
		if sh, err = selfharm.Default(); err != nil {
			return nil, fmt.Errorf("load self-harm model: %w", err)
		}
	}
	if len(c.Labels()) > 64 {
		return nil, fmt.Errorf("model has %d labels, at most 64 supported: %w", len(c.Labels()), forewarn.ErrBadModel)
	}
	mod := &Moderator{c: c, sh: sh, labels: c.Labels(), policy: p, support: p.SupportText(), m: newMatcher(),
		sensitive: topicSet(p.SensitiveTopics)}
	if err := mod.addPhrases(p, patterns); err != nil {
		return nil, err
	}
	for _, s := range p.Situations {
		mod.situations = append(mod.situations, situation{name: s.Name, topics: topicSet(s.Topics)})
	}
	for l, name := range mod.labels {
		if _, ok := headReasons[name]; ok {
			mod.holdMask |= 1 << l
		}
	}
	mod.thNeutral, mod.thSens = labelThresholds(mod.labels, p.Thresholds.Neutral), labelThresholds(mod.labels, p.Thresholds.Sensitive)
	mod.negators = mod.wordSet(negation.Words())
	mod.firstPerson = mod.wordSet(firstPersonList)
	mod.reportWords = mod.wordSet(reportList)
	mod.rejectWords = mod.wordSet(rejectList)
	mod.wordBut = mod.m.intern("but")
	mod.scoreNames = append(append([]string{}, mod.labels...), ScoreHostile)
	if !slices.Contains(mod.labels, ScoreSelfHarm) {
		mod.scoreNames = append(mod.scoreNames, ScoreSelfHarm)
	}
	mod.pool.New = func() any { return &scratch{} }
	return mod, nil
}

// addPhrases sets up the phrase categories (the policy's, in name order,
// then roleCategories) and compiles the built-in patterns and the
// policy's patterns, allow and deny phrases into them.
func (mod *Moderator) addPhrases(p Policy, patterns string) error {
	names := make([]string, 0, len(p.Categories))
	for name := range p.Categories {
		names = append(names, name)
	}
	sort.Strings(names)
	idx := map[string]int{}
	neutral := p.Thresholds.Neutral[ScoreHostile]
	for _, name := range names {
		c := p.Categories[name]
		idx[name] = len(mod.cats)
		mod.cats = append(mod.cats, catInfo{name: name, reason: c.Reason, weight: c.Weight, boost: c.Boost,
			topics: topicSet(c.Topics), hostile: true, contextual: c.Weight < neutral, message: c.Message})
	}
	for _, ci := range roleCategories {
		idx[ci.name] = len(mod.cats)
		mod.cats = append(mod.cats, ci)
	}
	mod.risk, mod.idiom, mod.allow, mod.deny = idx[catRisk], idx[catIdiom], idx[catAllow], idx[catDeny]
	if err := mod.m.addText(patterns, "patterns.txt", idx); err != nil {
		return err
	}
	for cat, pats := range p.Patterns {
		ci, ok := idx[cat]
		if !ok {
			return fmt.Errorf("policy patterns: unknown category %q: %w", cat, forewarn.ErrInvalid)
		}
		for _, s := range pats {
			if err := mod.m.addPattern(ci, s); err != nil {
				return fmt.Errorf("policy patterns: %w", err)
			}
		}
	}
	for _, l := range []struct {
		what    string
		cat     int
		phrases []string
	}{{"allow", mod.allow, p.Allow}, {"deny", mod.deny, p.Deny}} {
		for _, s := range l.phrases {
			if err := mod.m.addPhrase(l.cat, s); err != nil {
				return fmt.Errorf("policy %s: %w", l.what, err)
			}
		}
	}
	return nil
}

// labelThresholds returns the policy's threshold for each model label, or
// 2 (never) for a label the policy does not name.
func labelThresholds(labels []string, th map[string]float64) []float64 {
	out := make([]float64, len(labels))
	for l, name := range labels {
		out[l] = 2
		if v, ok := th[name]; ok {
			out[l] = v
		}
	}
	return out
}

// ScoreNames lists the keys of a verdict's scores in a stable order: the
// model's labels, then the phrase layer's scores.
func (m *Moderator) ScoreNames() []string { return m.scoreNames }

// Classifier returns the moderator's comment classifier.
func (m *Moderator) Classifier() *comment.Classifier { return m.c }

// Policy returns the moderator's policy.
func (m *Moderator) Policy() Policy { return m.policy }

// Sensitive reports whether topics make a post sensitive under the policy.
func (m *Moderator) Sensitive(topics []forewarn.Topic) bool { return anyTopic(m.sensitive, topics) }

// tokens is a comment's words with what the phrase layer needs of each.
type tokens struct {
	toks   []textseg.Token
	ids    []uint32
	class  []profanity.Class
	soft   []bool
	sent   []int
	clause []int

	// Filled by indexSentences, once per text, so that each match's
	// questions about its sentence take constant time.
	indexed  bool
	reported []bool // a verb of saying or calling at or before k in k's sentence
	rejects  []int  // words of rejection per sentence
	// cover marks the tokens inside idiom (1) and allow (2) matches.
	cover []uint8
}

// scratch is one goroutine's reusable state.
type scratch struct {
	seg     textseg.Segmenter
	t       tokens
	key     []byte
	matches []match
	cats    []float64
	probs   [64]float64
	ev      []forewarn.Evidence

	// ctx is the caller's context while a call scores, and ctxErr its
	// error once seen (see stopped).
	ctx    context.Context
	ctxErr error
}

func (m *Moderator) tokenize(s *scratch, text string) *tokens {
	t := &s.t
	t.toks = s.seg.Append(t.toks[:0], text)
	t.ids, t.class, t.soft, t.sent, t.clause = t.ids[:0], t.class[:0], t.soft[:0], t.sent[:0], t.clause[:0]
	t.indexed = false
	sent, clause, prevEnd := 0, 0, 0
	for i := range t.toks {
		if i%ctxCheckTokens == ctxCheckTokens-1 && s.stopped() {
			t.toks = t.toks[:i]
			break
		}
		tk := &t.toks[i]
		s.key = wordKey(s.key, tk.Plain)
		id := m.m.ids[string(s.key)]
		if i > 0 {
			sb, cb := breaks(text[prevEnd:tk.Start])
			if sb {
				sent++
			}
			if sb || cb || id == m.wordBut {
				clause++
			}
		}
		prevEnd = tk.End
		t.ids = append(t.ids, id)
		t.class = append(t.class, profanity.Of(tk.Plain))
		t.soft = append(t.soft, softWords[string(s.key)])
		t.sent = append(t.sent, sent)
		t.clause = append(t.clause, clause)
	}
	return t
}

// breaks reports whether the text between two words ends a sentence or a
// clause.
func breaks(gap string) (sentence, clause bool) {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '.', '!', '?', '\n':
			sentence = true
		case ',', ';', ':', '(', ')', '"':
			clause = true
		}
	}
	return sentence, clause
}

// Decide implements forewarn.Moderator.
func (m *Moderator) Decide(post *forewarn.Post, text string) forewarn.Verdict {
	v, _ := m.DecideContext(context.Background(), post, text)
	return v
}

// DecideContext implements forewarn.ContextModerator.
func (m *Moderator) DecideContext(ctx context.Context, post *forewarn.Post, text string) (forewarn.Verdict, error) {
	s := m.scratch(ctx)
	defer m.release(s)
	_, v, err := m.judge(s, post, text)
	return v, err
}

// judge analyses text on post with s and returns the analysis and the
// verdict, or s's context error once the context is done.
func (m *Moderator) judge(s *scratch, post *forewarn.Post, text string) (analysis, forewarn.Verdict, error) {
	a := m.analyse(s, post, text)
	if s.stopped() {
		return a, forewarn.Verdict{}, s.ctxErr
	}
	return a, a.verdict(m, s, text), nil
}

// analysis is what the layers found in one comment.
type analysis struct {
	sensitive bool
	th        map[string]float64
	labelTh   []float64
	hostile   float64
	risk      bool
	allowed   bool // an allow phrase is present
	excused   bool // a hostile phrase was negated or rejected
	catScore  []float64
	flagged   uint64 // model labels at or over the policy's thresholds
	situation string
	// selfHarm is the self-harm model's score; modelRisk says whether it
	// reaches the policy's threshold.
	selfHarm  float64
	modelRisk bool
}

func (m *Moderator) analyse(s *scratch, post *forewarn.Post, text string) analysis {
	var a analysis
	var topics []forewarn.Topic
	if post != nil {
		topics = post.Topics
		a.sensitive = post.Sensitive || m.Sensitive(topics)
	}
	a.th, a.labelTh = m.policy.Thresholds.Neutral, m.thNeutral
	if a.sensitive {
		a.th, a.labelTh = m.policy.Thresholds.Sensitive, m.thSens
	}
	a.situation = m.situationOf(topics)

	t := m.tokenize(s, text)
	if s.stopped() {
		return a
	}
	s.matches = m.m.find(s.matches[:0], t)
	ms := s.matches
	m.coverCats(t, ms)
	// Idioms and allow phrases cancel the matches they overlap; negation
	// and rejection cancel hostile phrases.
	keep := ms[:0]
	for _, x := range ms {
		ci := &m.cats[x.cat]
		switch {
		case x.cat == m.idiom:
			continue
		case x.cat == m.allow:
			a.allowed = true
			continue
		case covered(t, x):
			continue
		case ci.hostile && (m.negated(t, x) || m.rejected(t, x)):
			a.excused = true
			continue
		case x.cat == m.risk && (m.negated(t, x) || m.aboutOther(t, x)):
			continue
		}
		keep = append(keep, x)
	}
	s.matches = keep
	if cap(s.cats) < len(m.cats) {
		s.cats = make([]float64, len(m.cats))
	}
	a.catScore = s.cats[:len(m.cats)]
	clear(a.catScore)
	notHostile := 1.0
	for _, x := range keep {
		if x.cat == m.risk {
			a.risk = true
			continue
		}
		ci := &m.cats[x.cat]
		w := ci.weight
		if ci.boost > 0 && anyTopic(ci.topics, topics) {
			w += ci.boost
		}
		w = min(w, 1)
		if w > a.catScore[x.cat] {
			notHostile *= (1 - w) / (1 - a.catScore[x.cat] + 1e-12)
			a.catScore[x.cat] = w
		}
	}
	a.hostile = max(0, min(1, 1-notHostile))

	probs := s.probs[:len(m.labels)]
	mask := m.holdMask
	if a.allowed || a.excused {
		mask = 0
	}
	if s.stopped() {
		return a
	}
	// Support comes from the self-harm model; an allow phrase never keeps
	// a commenter at risk from it.
	a.selfHarm = m.sh.ScoreTokens(t.toks)
	a.modelRisk = a.selfHarm >= a.th[ScoreSelfHarm]
	a.risk = a.risk || a.modelRisk
	a.flagged, s.ev = m.c.Decide(text, probs, a.labelTh, mask, s.ev[:0])
	return a
}

// coverCats marks the tokens that idiom and allow matches cover, so that
// covered answers in the length of one match rather than of all matches.
func (m *Moderator) coverCats(t *tokens, ms []match) {
	t.cover = slices.Grow(t.cover[:0], len(t.ids))[:len(t.ids)]
	clear(t.cover)
	for _, y := range ms {
		if y.cat == m.idiom || y.cat == m.allow {
			for k := y.start; k < y.end; k++ {
				t.cover[k] = 1
			}
		}
	}
}

// covered reports whether an idiom or allow match shares a token with x.
// Every match covers at least one token.
func covered(t *tokens, x match) bool {
	for k := x.start; k < x.end; k++ {
		if t.cover[k] != 0 {
			return true
		}
	}
	return false
}

// negated reports whether a negation in the same clause comes shortly
// before match x (package negation): "you are not an attention seeker".
func (m *Moderator) negated(t *tokens, x match) bool {
	for k := x.start - 1; k >= 0 && k >= x.start-negation.Window && t.clause[k] == t.clause[x.start]; k-- {
		if m.negators[t.ids[k]] {
			return true
		}
	}
	return false
}

// pronounWindow is how many words before a risk phrase aboutOther looks
// for the pronoun it is about: about one sentence of a comment (the
// sentences of the GoEmotions training comments average 8.5 words, median
// 7), so the search stays within what one sentence says.
const pronounWindow = 8

// aboutOther reports whether a risk phrase that does not say who it is
// about ("end it all") belongs to someone else: the nearest pronoun before
// it in the sentence is "he", "she" or "they", not "I". Talking about a
// brother who once wanted to end it all is not a commenter at risk.
func (m *Moderator) aboutOther(t *tokens, x match) bool {
	for k := x.start; k < x.end; k++ {
		if m.firstPerson[t.ids[k]] {
			return false
		}
	}
	for k := x.start - 1; k >= 0 && k >= x.start-pronounWindow && t.sent[k] == t.sent[x.start]; k-- {
		switch {
		case m.firstPerson[t.ids[k]]:
			return false
		case t.class[k]&profanity.Third != 0:
			return true
		}
	}
	return false
}

// rejected reports whether match x is reported speech that its sentence
// rejects: a verb of saying or calling before it ("people calling her",
// "whoever said") and a word of rejection elsewhere in the sentence
// ("should be ashamed", "is disgusting").
func (m *Moderator) rejected(t *tokens, x match) bool {
	m.indexSentences(t)
	sent := t.sent[x.start]
	if x.start == 0 || t.sent[x.start-1] != sent || !t.reported[x.start-1] {
		return false
	}
	rejects := t.rejects[sent]
	for k := x.start; k < x.end; k++ {
		if t.sent[k] == sent && m.rejectWords[t.ids[k]] {
			rejects--
		}
	}
	return rejects > 0
}

// indexSentences fills t.reported and t.rejects once per text.
func (m *Moderator) indexSentences(t *tokens) {
	if t.indexed {
		return
	}
	t.indexed = true
	t.reported = slices.Grow(t.reported[:0], len(t.ids))[:len(t.ids)]
	t.rejects = t.rejects[:0]
	for k, id := range t.ids {
		sent := t.sent[k]
		for len(t.rejects) <= sent {
			t.rejects = append(t.rejects, 0)
		}
		t.reported[k] = m.reportWords[id] || k > 0 && t.sent[k-1] == sent && t.reported[k-1]
		if m.rejectWords[id] {
			t.rejects[sent]++
		}
	}
}

func (m *Moderator) situationOf(topics []forewarn.Topic) string {
	for _, s := range m.situations {
		if anyTopic(s.topics, topics) {
			return s.name
		}
	}
	return ""
}

// verdict turns an analysis into the decision, reasons and evidence.
func (a *analysis) verdict(m *Moderator, s *scratch, text string) forewarn.Verdict {
	v := forewarn.Verdict{Decision: forewarn.Publish, Scores: make(map[string]float64, len(m.labels)+2)}
	probs := s.probs[:len(m.labels)]
	for l, name := range m.labels {
		v.Scores[name] = probs[l]
	}
	v.Scores[ScoreHostile] = a.hostile
	v.Scores[ScoreSelfHarm] = a.selfHarm
	switch {
	case a.risk:
		v.Decision = forewarn.Support
		v.Support = m.support
		v.Reasons = []string{reasonRisk}
		v.Evidence = m.evidence(s, text, func(cat int) bool { return cat == m.risk })
		if a.modelRisk {
			v.Evidence = m.sh.Evidence(s.t.toks, v.Evidence)
		}
		sortEvidence(v.Evidence)
		return v
	case a.hostile >= a.th[ScoreHostile]:
		v.Decision = forewarn.Hold
		for ci, w := range a.catScore {
			if w > 0 {
				r := m.cats[ci].reason
				if a.sensitive && m.cats[ci].contextual {
					r += " on a sensitive post"
				}
				v.Reasons = append(v.Reasons, r)
			}
		}
		v.Evidence = m.evidence(s, text, func(cat int) bool { return m.cats[cat].hostile })
	}
	if a.flagged != 0 {
		v.Decision = forewarn.Hold
		for l, name := range m.labels {
			if a.flagged&(1<<l) == 0 {
				continue
			}
			v.Reasons = append(v.Reasons, headReasons[name])
			for _, e := range s.ev {
				if e.Label == name {
					v.Evidence = append(v.Evidence, e)
				}
			}
		}
	}
	sortEvidence(v.Evidence)
	return v
}

// evidence returns the spans of the kept matches whose category passes
// keep: the first forewarn.MaxEvidence of each category, which are all that
// is shown.
func (m *Moderator) evidence(s *scratch, text string, keep func(cat int) bool) []forewarn.Evidence {
	var ev []forewarn.Evidence
	toks := s.t.toks
	n := make([]int, len(m.cats))
	for _, x := range s.matches {
		if !keep(x.cat) || n[x.cat] >= forewarn.MaxEvidence {
			continue
		}
		n[x.cat]++
		label := m.cats[x.cat].name
		if x.cat == m.risk {
			label = "self-harm"
		}
		ev = append(ev, forewarn.Evidence{Label: label, Start: toks[x.start].Start, End: toks[x.end-1].End})
	}
	return ev
}

func sortEvidence(ev []forewarn.Evidence) {
	sort.Slice(ev, func(i, j int) bool {
		if ev[i].Start != ev[j].Start {
			return ev[i].Start < ev[j].Start
		}
		return ev[i].End < ev[j].End
	})
}

// Nudge implements forewarn.Moderator: a draft that would be held, or that
// is borderline on a sensitive post, earns the situation's message and the
// hurtful words; a draft that suggests the commenter is at risk earns the
// support text and nothing else.
func (m *Moderator) Nudge(post *forewarn.Post, text string) forewarn.Nudge {
	n, _ := m.NudgeContext(context.Background(), post, text)
	return n
}

// NudgeContext implements forewarn.ContextModerator.
func (m *Moderator) NudgeContext(ctx context.Context, post *forewarn.Post, text string) (forewarn.Nudge, error) {
	s := m.scratch(ctx)
	defer m.release(s)
	a, v, err := m.judge(s, post, text)
	if err != nil {
		return forewarn.Nudge{}, err
	}
	n := forewarn.Nudge{Evidence: []forewarn.Evidence{}}
	switch v.Decision {
	case forewarn.Support:
		n.Nudge, n.Message, n.Support = true, m.support, m.support
		return n, nil
	case forewarn.Hold:
		n.Nudge, n.Message = true, m.message(&a)
		n.Evidence = v.Evidence
		return n, nil
	}
	if !a.sensitive || a.allowed || a.excused {
		return n, nil
	}
	// Borderline: a hostility head or the phrase layer reaches the
	// policy's "nudge" score without holding.
	nudgeAt, ok := a.th["nudge"]
	if !ok {
		return n, nil
	}
	borderline := a.hostile > 0 && a.hostile >= nudgeAt
	var near uint64
	for l := range m.labels {
		if m.holdMask&(1<<l) != 0 && s.probs[l] >= nudgeAt {
			near |= 1 << l
		}
	}
	if near != 0 {
		if s.stopped() {
			return forewarn.Nudge{}, s.ctxErr
		}
		borderline = true
		th := make([]float64, len(m.labels))
		for l := range th {
			th[l] = nudgeAt
		}
		_, n.Evidence = m.c.Decide(text, s.probs[:len(m.labels)], th, near, n.Evidence)
	}
	if borderline {
		n.Nudge, n.Message = true, m.policy.Messages["borderline"]
		if n.Message == "" {
			n.Message = m.message(&a)
		}
		n.Evidence = append(n.Evidence, m.evidence(s, text, func(cat int) bool { return m.cats[cat].hostile })...)
		sortEvidence(n.Evidence)
	}
	return n, nil
}

// message picks the nudge message: the post's situation when the post is
// sensitive, else the insult message for a direct insult, else the default.
func (m *Moderator) message(a *analysis) string {
	msgs := m.policy.Messages
	if a.sensitive && a.situation != "" && msgs[a.situation] != "" {
		return msgs[a.situation]
	}
	for ci, w := range a.catScore {
		if w > 0 && m.cats[ci].message != "" && msgs[m.cats[ci].message] != "" {
			return msgs[m.cats[ci].message]
		}
	}
	for l, name := range m.labels {
		if a.flagged&(1<<l) != 0 && (name == "insult" || name == "threat") && msgs["insult"] != "" {
			return msgs["insult"]
		}
	}
	return msgs["default"]
}

func (m *Moderator) wordSet(words []string) map[uint32]bool {
	s := make(map[uint32]bool, len(words))
	for _, w := range words {
		s[m.m.intern(w)] = true
	}
	return s
}
