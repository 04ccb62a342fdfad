// Package warn finds sensitive topics in a text and writes the
// reader-facing warning line.
//
// Detection combines a phrase lexicon (a data file publishers can extend,
// see Lexicon) with learned topic models where labelled data exists (see
// Scorer). Every topic comes with a score, the spans of the original text
// that carried it, a prominence (mention, discussion or detailed) and the
// paragraph where it first appears.
package warn

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/negation"
	"github.com/forewarn/forewarn/textseg"
)

//go:embed lexicon.txt
var defaultLexicon string

// DefaultLexicon returns the embedded lexicon, compiled.
func DefaultLexicon() (*Lexicon, error) {
	l := NewLexicon()
	if err := l.Add(strings.NewReader(defaultLexicon), "lexicon.txt"); err != nil {
		return nil, fmt.Errorf("embedded lexicon: %w", err)
	}
	return l, nil
}

// Detector finds topics and writes warning lines. It implements
// forewarn.Detector and is safe for concurrent use.
type Detector struct {
	lex    *Lexicon
	scorer Scorer
	cfg    *Config
	pool   sync.Pool // *scratch
	// labelOf holds per taxonomy topic its scorer label, or -1.
	labelOf []int
	// decides is true for the scorer labels of Options.ModelDecides.
	decides []bool
	// model is the scorer when it is a *ModelScorer, whose word table
	// then serves the lexicon too (see words).
	model *ModelScorer
}

var _ forewarn.Detector = (*Detector)(nil)

// Options configure a Detector. Zero fields take defaults.
type Options struct {
	// Lexicon is the phrase lexicon; nil means DefaultLexicon.
	Lexicon *Lexicon
	// Scorer is a learned topic model; nil means lexicon only.
	Scorer Scorer
	// Config holds the house styles and the publisher policy; nil means
	// DefaultConfig.
	Config *Config
	// LexiconDecides lists scorer topics whose lexicon phrases count even
	// in passages where the scorer does not find the topic, for labels
	// whose training data is far from the texts the detector reads; the
	// scorer still adds the topic where it finds it.
	LexiconDecides []string
	// ModelDecides lists scorer topics whose thresholds were chosen for
	// texts like the ones the detector reads, so that a passage at or
	// above the threshold is the topic: their score starts at the
	// default policy's min_score there (see decisionScore) rather than
	// being the scorer's probability, which the policy's min_score would
	// cut again.
	ModelDecides []string
}

// New returns a detector.
func New(o Options) (*Detector, error) {
	d := &Detector{lex: o.Lexicon, scorer: o.Scorer, cfg: o.Config}
	if d.lex == nil {
		l, err := DefaultLexicon()
		if err != nil {
			return nil, err
		}
		d.lex = l
	}
	if d.cfg == nil {
		c, err := DefaultConfig()
		if err != nil {
			return nil, err
		}
		d.cfg = c
	}
	d.labelOf = make([]int, len(Taxonomy))
	for t := range d.labelOf {
		d.labelOf[t] = -1
	}
	d.model, _ = d.scorer.(*ModelScorer)
	if d.scorer != nil {
		for l, id := range d.scorer.Labels() {
			t, ok := topicIndex[id]
			if !ok {
				return nil, fmt.Errorf("scorer label %q is not a topic: %w", id, forewarn.ErrInvalid)
			}
			if !slices.Contains(o.LexiconDecides, id) {
				d.labelOf[t] = l
			}
			d.decides = append(d.decides, slices.Contains(o.ModelDecides, id))
		}
	}
	return d, nil
}

// Config returns the detector's configuration.
func (d *Detector) Config() *Config { return d.cfg }

// hit is one phrase found in the text.
type hit struct {
	topic int
	// from is the topic of the phrase before context moved it (see
	// applyContext).
	from     int
	weight   float64
	tok, end int // tokens [tok, end)
	support  bool
	learned  bool // from the learned model
	name     int  // token naming who the topic is about, or -1
}

// scratch holds per-call buffers.
type scratch struct {
	seg    textseg.Segmenter
	toks   []textseg.Token
	ids    []uint32
	sentOf []int32
	sents  []textseg.Span
	paras  []textseg.Span
	paraOf []int32 // by sentence
	masked []bool
	hits   []hit
	vivid  []int32 // vivid words per sentence
	probs  []float64
	// passages are the stretches of text the learned model reads, and
	// pos holds per passage and scorer label whether the model found the
	// label's topic there (passage*labels + label).
	passages []passage
	pos      []bool
	pass     []textseg.Token
	idx      []int
	ends     []int
	tags     []string
	sentP    []float64
	sentTok  []int
	direct   []hit
	// mx is the model scorer's scratch when the scorer is a
	// *ModelScorer (Detector.model), kept with this scratch: one lookup
	// of a word form gives both its lexicon id and its features. tokWord
	// holds each token's entry in it, and passWord those of a passage's
	// tokens.
	mx       *modelScratch
	tokWord  []int32
	passWord []int32

	// ctx is the caller's context while a call scores, and ctxErr its
	// error once seen (see stopped).
	ctx    context.Context
	ctxErr error
}

// Detect returns every topic found in text with its score, evidence,
// prominence and first paragraph, most prominent first. Offsets point into
// text, including any leading publisher warning, which is skipped.
func (d *Detector) Detect(text string) []forewarn.Topic {
	s, _ := d.pool.Get().(*scratch)
	if s == nil {
		s = new(scratch)
	}
	defer d.pool.Put(s)
	return d.detect(s, text)
}

func (d *Detector) detect(s *scratch, text string) []forewarn.Topic {
	off := SkipPublisherWarning(text)
	body := text[off:]
	s.paras = textseg.AppendParagraphs(s.paras[:0], body)
	s.sents = s.sents[:0]
	s.paraOf = s.paraOf[:0]
	for i, p := range s.paras {
		n := len(s.sents)
		s.sents = textseg.AppendSentencesIn(s.sents, body, p)
		for k := n; k < len(s.sents); k++ {
			s.sents[k].Start += off
			s.sents[k].End += off
			s.paraOf = append(s.paraOf, int32(i))
		}
	}
	for i := range s.paras {
		s.paras[i].Start += off
		s.paras[i].End += off
	}
	s.toks = s.seg.Append(s.toks[:0], body)
	s.ids = s.ids[:0]
	s.sentOf = s.sentOf[:0]
	s.vivid = append(s.vivid[:0], make([]int32, len(s.sents))...)
	s.tokWord = s.tokWord[:0]
	if d.model != nil {
		if s.mx == nil {
			s.mx = d.model.newScratch()
		}
		s.mx.trim()
	}
	sent := 0
	lex := d.lex
	for i := range s.toks {
		if i%ctxCheckTokens == ctxCheckTokens-1 && s.stopped() {
			return nil
		}
		t := &s.toks[i]
		t.Start += off
		t.End += off
		for sent < len(s.sents)-1 && t.Start >= s.sents[sent].End {
			sent++
		}
		var id uint32
		if d.model != nil {
			k := s.mx.word(d.model.m, t.Plain)
			if int(k) == len(s.mx.lexID) {
				s.mx.lexID = append(s.mx.lexID, lex.vocab[key(t.Plain)])
			}
			s.tokWord = append(s.tokWord, k)
			id = s.mx.lexID[k]
		} else {
			id = lex.vocab[key(t.Plain)]
		}
		s.ids = append(s.ids, id)
		s.sentOf = append(s.sentOf, int32(sent))
		if lex.flagsOf(id)&flagVivid != 0 && sent < len(s.vivid) {
			s.vivid[sent]++
		}
	}
	if len(s.sents) == 0 {
		return nil
	}
	if s.stopped() {
		return nil
	}
	s.hits = d.match(s, text, s.hits[:0])
	d.applyContext(s)
	if s.stopped() {
		return nil
	}
	if d.scorer != nil {
		s.hits = d.learned(s, s.hits)
	}
	topics := d.aggregate(s)
	sortTopics(topics)
	return topics
}

// match finds the lexicon's phrases, drops those inside innocent phrases
// or after a negation, and returns the rest.
func (d *Detector) match(s *scratch, text string, hits []hit) []hit {
	s.masked = append(s.masked[:0], make([]bool, len(s.toks))...)
	first := len(hits)
	lex := d.lex
	if root := &lex.nodes[0]; len(root.ends) == 0 {
		// The first step of walk from the root, inline: only a token some
		// phrase starts with (or a name or possessive, where phrases
		// start with those) starts a match.
		for i, id := range s.ids {
			if c := lex.roots[id]; c != 0 {
				hits = d.walk(s, text, hits, c, i, i+1)
			}
			if root.name != 0 && isCapitalised(text[s.toks[i].Start:s.toks[i].End]) {
				hits = d.walk(s, text, hits, root.name, i, i+1)
			}
			if root.poss != 0 && d.isPoss(s, text, i) {
				hits = d.walk(s, text, hits, root.poss, i, i+1)
			}
		}
	} else {
		for i := range s.ids {
			hits = d.walk(s, text, hits, 0, i, i)
		}
	}
	// Innocent phrases mask their tokens; topic phrases that touch a masked
	// token or follow a negation are dropped.
	out := hits[:first]
	for _, h := range hits[first:] {
		if h.topic < 0 {
			continue
		}
		if slices.Contains(s.masked[h.tok:h.end], true) {
			continue
		}
		if d.negated(s, text, h.tok) {
			// Keep negated words away from the learned model too.
			for j := h.tok; j < h.end; j++ {
				s.masked[j] = true
			}
			continue
		}
		out = append(out, h)
	}
	return out
}

func (d *Detector) isPoss(s *scratch, text string, i int) bool {
	if d.lex.flagsOf(s.ids[i])&flagPoss != 0 {
		return true
	}
	w := text[s.toks[i].Start:s.toks[i].End]
	return len(w) > 2 && (strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "s'"))
}

// walk follows the trie from node n, the phrase having matched tokens
// [i, j), and records every phrase that ends on the way. Phrases stay
// within one sentence.
func (d *Detector) walk(s *scratch, text string, hits []hit, n int32, i, j int) []hit {
	lex := d.lex
	nd := &lex.nodes[n]
	for _, pi := range nd.ends {
		hits = d.emit(s, hits, pi, i, j)
	}
	if j >= len(s.ids) || s.sentOf[j] != s.sentOf[i] {
		return hits
	}
	if id := s.ids[j]; id != 0 {
		var c int32
		if n == 0 {
			c = lex.roots[id]
		} else {
			c = nd.child(id)
		}
		if c != 0 {
			hits = d.walk(s, text, hits, c, i, j+1)
		}
	}
	if nd.name != 0 && isCapitalised(text[s.toks[j].Start:s.toks[j].End]) {
		hits = d.walk(s, text, hits, nd.name, i, j+1)
	}
	if nd.poss != 0 && d.isPoss(s, text, j) {
		hits = d.walk(s, text, hits, nd.poss, i, j+1)
	}
	return hits
}

// emit records phrase pi matched on tokens [i, end).
func (d *Detector) emit(s *scratch, hits []hit, pi int32, i, end int) []hit {
	p := &d.lex.phrases[pi]
	if p.kind == kindInnocent {
		for j := i; j < end; j++ {
			s.masked[j] = true
		}
		return hits
	}
	h := hit{topic: p.topic, from: p.topic, weight: p.weight, tok: i, end: end, support: p.kind == kindSupport, name: -1}
	if p.name >= 0 {
		// Remember who the topic is about: other hits that name them move
		// to this topic (see applyContext).
		h.name = i + p.name
	}
	return append(hits, h)
}

// negated reports whether a negation word comes shortly before token i in
// the same clause.
func (d *Detector) negated(s *scratch, text string, i int) bool {
	for k := i - 1; k >= 0 && k >= i-negation.Window; k-- {
		if s.sentOf[k] != s.sentOf[i] || clauseBreak(text[s.toks[k].End:s.toks[k+1].Start]) {
			return false
		}
		if d.lex.flagsOf(s.ids[k])&flagNegator != 0 {
			return true
		}
	}
	return false
}

func clauseBreak(between string) bool {
	return strings.ContainsAny(between, ",;:.!?()\"“”—–")
}
