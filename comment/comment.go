// Package comment scores comments with a multi-head linear model over
// hashed features (offensive, targeted, insult, hate, sexism, threat,
// profanity, self_harm; see Labels), and points at the words that carried
// a flagged label with a toxic-span model.
//
// A few heads also take in the margin of a small neural network (package
// neural) trained on the same features; the network's file sits beside
// the linear model's (see NetName).
//
// The default models are embedded in the binary; Load reads another
// through an fs.FS.
package comment

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/neural"
	"github.com/forewarn/forewarn/textseg"
)

//go:embed model/*.fwm
var embedded embed.FS

// DefaultModelName is the embedded model's file name within Embedded.
const DefaultModelName = "model/comment.fwm"

// DefaultSpanModelName is the embedded toxic-span model's file name.
const DefaultSpanModelName = "model/spans.fwm"

var (
	defaultOnce sync.Once
	defaultC    *Classifier
	defaultErr  error
)

// Default returns the classifier on the embedded model, loaded once.
func Default() (*Classifier, error) {
	defaultOnce.Do(func() {
		var m, sm *linear.Model
		if m, defaultErr = linear.Load(embedded, DefaultModelName); defaultErr != nil {
			return
		}
		if defaultC, defaultErr = New(m); defaultErr != nil {
			return
		}
		if defaultErr = defaultC.loadNet(embedded, DefaultModelName); defaultErr != nil {
			return
		}
		if sm, defaultErr = linear.Load(embedded, DefaultSpanModelName); defaultErr != nil {
			return
		}
		defaultErr = defaultC.SetSpans(sm)
	})
	return defaultC, defaultErr
}

// NetName returns the name of the network file that goes with the model
// file name: "comment.fwm" has its network in "comment-net.fwm".
func NetName(name string) string {
	return strings.TrimSuffix(name, ".fwm") + "-net.fwm"
}

// netDigest names a network file's bytes in the linear model's notes.
func netDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// loadNet loads the network that c's model was trained with, from
// NetName(name) in fsys, when the model's notes name one.
func (c *Classifier) loadNet(fsys fs.FS, name string) error {
	want := c.model.Notes["net"]
	if want == "" {
		return nil
	}
	b, err := fs.ReadFile(fsys, NetName(name))
	if err != nil {
		return fmt.Errorf("load network: %w", err)
	}
	if netDigest(b) != want {
		return fmt.Errorf("%w: %s is not the network %s was trained with", forewarn.ErrBadModel, NetName(name), name)
	}
	net, err := neural.Decode(b)
	if err != nil {
		return fmt.Errorf("load network %s: %w", NetName(name), err)
	}
	return c.SetNet(net)
}

// Load returns a classifier on the model file name in fsys, with its
// network (NetName) when it was trained with one, and the embedded span
// model when its features match.
func Load(fsys fs.FS, name string) (*Classifier, error) {
	m, err := linear.Load(fsys, name)
	if err != nil {
		return nil, err
	}
	c, err := New(m)
	if err != nil {
		return nil, err
	}
	if err := c.loadNet(fsys, name); err != nil {
		return nil, err
	}
	if sm, err := linear.Load(embedded, DefaultSpanModelName); err == nil {
		c.SetSpans(sm)
	}
	return c, nil
}

// Classifier scores comments. It is safe for concurrent use.
type Classifier struct {
	model  *linear.Model
	parent []int // per label, the label it refines, or -1
	// also[l] is a label whose flag also flags l: a sexist comment is
	// flagged hate too, as hate against women; -1 for none.
	also  []int
	spans *SpanModel
	// net, when set, adds its margins times netW into the margins of the
	// heads netHeads.
	net      *neural.Model
	netHeads []int
	netW     []float64
	// fused, when set, holds both models' weights for one pass.
	fused fusedTable
	pool  sync.Pool // of *scratch
}

// scratch holds one goroutine's reusable buffers.
type scratch struct {
	ex      *features.Extractor
	feats   []features.Feature
	toks    []textseg.Token
	z       []float64
	contrib []float64
	sp      *spanScratch
	spans   []forewarn.Span
	net     *neural.Scratch
	netZ    []float64
}

// New returns a classifier on m.
func New(m *linear.Model) (*Classifier, error) {
	if _, err := features.NewExtractor(m.Features); err != nil {
		return nil, fmt.Errorf("%w: %v", forewarn.ErrBadModel, err)
	}
	c := &Classifier{model: m, parent: make([]int, len(m.Labels)), also: make([]int, len(m.Labels))}
	for l, name := range m.Labels {
		c.parent[l], c.also[l] = -1, -1
		switch name {
		case "targeted":
			// OLID's hierarchy: only an offensive text is targeted.
			c.parent[l] = slices.Index(m.Labels, "offensive")
		case "hate":
			c.also[l] = slices.Index(m.Labels, "sexism")
		}
	}
	c.pool.New = func() any {
		ex, _ := features.NewExtractor(m.Features)
		s := &scratch{ex: ex, z: make([]float64, len(m.Labels))}
		if c.spans != nil {
			s.sp = c.spans.scratch()
		}
		if c.net != nil {
			s.net, s.netZ = c.net.NewScratch(), make([]float64, len(c.net.Labels))
		}
		return s
	}
	return c, nil
}

// SetSpans makes the classifier point at evidence with the toxic-span
// model m. It must be called before the classifier is used.
func (c *Classifier) SetSpans(m *linear.Model) error {
	sm, err := NewSpanModel(m)
	if err != nil {
		return err
	}
	if sm.m.Features != c.model.Features {
		return fmt.Errorf("%w: span model features differ from the comment model's", forewarn.ErrBadModel)
	}
	c.spans = sm
	return nil
}

// SetNet blends the network net into the heads it has outputs for, each
// at the weight its notes give ("blend/<head>"). It must be called before
// the classifier is used.
func (c *Classifier) SetNet(net *neural.Model) error {
	if net.Features != c.model.Features {
		return fmt.Errorf("%w: network features differ from the comment model's", forewarn.ErrBadModel)
	}
	var heads []int
	var ws []float64
	for _, name := range net.Labels {
		l := slices.Index(c.model.Labels, name)
		w, err := strconv.ParseFloat(net.Notes["blend/"+name], 64)
		if l < 0 || err != nil {
			return fmt.Errorf("%w: network head %q has no head or blend weight in the comment model", forewarn.ErrBadModel, name)
		}
		heads, ws = append(heads, l), append(ws, w)
	}
	c.net, c.netHeads, c.netW = net, heads, ws
	c.fused = newFused(c.model, net)
	return nil
}

// Net returns the network blended into some heads, or nil.
func (c *Classifier) Net() *neural.Model { return c.net }

// Spans returns the classifier's span model, or nil.
func (c *Classifier) Spans() *SpanModel { return c.spans }

// Model returns the classifier's model.
func (c *Classifier) Model() *linear.Model { return c.model }

// Labels returns the model's labels in order.
func (c *Classifier) Labels() []string { return c.model.Labels }

// Explain is the allocation-light core of Classify: it writes the
// calibrated probability of every label into probs, reports the labels that
// reached their thresholds as a bit set, and appends the evidence for them
// to ev.
func (c *Classifier) Explain(text string, probs []float64, ev []forewarn.Evidence) (flagged uint64, _ []forewarn.Evidence) {
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	c.score(s, text, probs)
	return c.explain(s, text, probs, ev)
}

// ExplainTokens is Explain on text already segmented by textseg into
// toks, so that a caller that scores the text with another model too
// segments it once. toks must be the tokens of text.
func (c *Classifier) ExplainTokens(text string, toks []textseg.Token, probs []float64, ev []forewarn.Evidence) (flagged uint64, _ []forewarn.Evidence) {
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	s.feats, s.toks = s.ex.FromTokens(s.feats[:0], toks), toks
	c.probs(s, probs)
	flagged, ev = c.explain(s, text, probs, ev)
	// The pooled scratch must not keep the caller's tokens.
	s.toks = nil
	return flagged, ev
}

// explain flags the labels whose probabilities (in probs, for the text
// whose features are in s) pass the model's thresholds and appends the
// evidence for them.
func (c *Classifier) explain(s *scratch, text string, probs []float64, ev []forewarn.Evidence) (flagged uint64, _ []forewarn.Evidence) {
	for l := range s.z {
		if c.passes(l, probs, c.model.Thresholds) {
			flagged |= 1 << l
		}
	}
	if flagged != 0 {
		ev = c.evidence(s, text, flagged, ev)
	}
	return flagged, ev
}

// score extracts the features of text into s and writes every label's
// calibrated probability into probs.
func (c *Classifier) score(s *scratch, text string, probs []float64) {
	s.feats, s.toks = s.ex.Extract(s.feats[:0], text)
	c.probs(s, probs)
}

// probs writes every label's calibrated probability for the features in
// s into probs.
func (c *Classifier) probs(s *scratch, probs []float64) {
	m := c.model
	c.margins(s, s.feats, s.z)
	for l, z := range s.z {
		probs[l] = m.Prob(l, z)
	}
}

// margins writes the margins of every head for feats into z: the linear
// model's, plus the network's in the heads it is blended into.
func (c *Classifier) margins(s *scratch, feats []features.Feature, z []float64) {
	switch {
	case c.net == nil:
		c.model.Margins(feats, z)
		return
	case c.fused != nil:
		c.fused.margins(c.model, c.net, s.net, feats, z, s.netZ)
	default:
		c.model.Margins(feats, z)
		c.net.Margins(feats, s.net, s.netZ)
	}
	for j, l := range c.netHeads {
		z[l] += c.netW[j] * s.netZ[j]
	}
}

// passes reports whether label l is flagged at thresholds th: its own
// probability (or that of the label that also flags it) reaches its
// threshold, and the label it refines is flagged.
func (c *Classifier) passes(l int, probs, th []float64) bool {
	own := probs[l] >= th[l]
	if a := c.also[l]; a >= 0 && probs[a] >= th[a] {
		own = true
	}
	return own && c.parentFlagged(l, probs)
}

// evidence appends the evidence for the flagged labels of the text whose
// features are in s: the toxic spans the span model finds, under every
// flagged label; where it finds none, or without a span model, the words
// that pushed each label's score up the most.
func (c *Classifier) evidence(s *scratch, text string, flagged uint64, ev []forewarn.Evidence) []forewarn.Evidence {
	m := c.model
	s.spans = s.spans[:0]
	if c.spans != nil {
		s.sp.feats = append(s.sp.feats[:0], s.feats...)
		s.spans = c.spans.fromTokens(s.spans, text, s.toks, s.sp)
	}
	for l := range m.Labels {
		if flagged&(1<<l) == 0 {
			continue
		}
		spans := s.spans
		if len(spans) == 0 || m.Labels[l] == "self_harm" {
			// Toxic spans say nothing about risk.
			s.contrib = s.contrib[:0]
			for range s.toks {
				s.contrib = append(s.contrib, 0)
			}
			m.Contributions(s.feats, l, s.contrib)
			spans = Phrases(s.toks, s.contrib)
		}
		// The first spans of a label are all that is shown (see
		// forewarn.MaxEvidence); keeping the rest made a long hostile text
		// cost more per byte than a short one.
		for _, sp := range spans[:min(len(spans), forewarn.MaxEvidence)] {
			ev = append(ev, forewarn.Evidence{Label: m.Labels[l], Start: sp.Start, End: sp.End})
		}
	}
	return ev
}

// Decide is Explain at the caller's thresholds, for a moderator: it writes
// every label's probability into probs, reports the labels of mask that
// pass th, and appends the evidence for those.
func (c *Classifier) Decide(text string, probs, th []float64, mask uint64, ev []forewarn.Evidence) (flagged uint64, _ []forewarn.Evidence) {
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	c.score(s, text, probs)
	for l := range probs {
		if mask&(1<<l) != 0 && c.passes(l, probs, th) {
			flagged |= 1 << l
		}
	}
	if flagged != 0 {
		ev = c.evidence(s, text, flagged, ev)
	}
	return flagged, ev
}

// parentFlagged reports whether the label that l refines, if any, reached
// its own threshold: a tweet that is not offensive is neither a targeted
// insult nor hate, as in OLID's hierarchy, and gating on it keeps texts that
// merely name an identity from being called hate.
func (c *Classifier) parentFlagged(l int, probs []float64) bool {
	p := c.parent[l]
	return p < 0 || probs[p] >= c.model.Thresholds[p]
}

// Classify scores text and, for every flagged label, finds the phrases that
// carried the score.
func (c *Classifier) Classify(text string) forewarn.Result {
	labels := c.model.Labels
	probs := make([]float64, len(labels))
	flagged, ev := c.Explain(text, probs, []forewarn.Evidence{})
	res := forewarn.Result{Scores: make(map[string]float64, len(labels)), Flagged: []string{}, Evidence: ev}
	for l, name := range labels {
		res.Scores[name] = probs[l]
		if flagged&(1<<l) != 0 {
			res.Flagged = append(res.Flagged, name)
		}
	}
	return res
}

// Phrases picks the tokens that pushed a score up the most and merges
// neighbours into readable phrases. A token counts when its contribution is
// positive and at least half of the largest one; runs of such tokens that
// are adjacent in the text become one span.
func Phrases(toks []textseg.Token, contrib []float64) []forewarn.Span {
	best := 0.0
	for _, v := range contrib {
		best = max(best, v)
	}
	if best <= 0 {
		return nil
	}
	var out []forewarn.Span
	last := -2
	for i, v := range contrib {
		if v <= 0 || v < best/2 {
			continue
		}
		if last == i-1 && len(out) > 0 {
			out[len(out)-1].End = toks[i].End
		} else {
			out = append(out, forewarn.Span{Start: toks[i].Start, End: toks[i].End})
		}
		last = i
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Start < out[b].Start })
	return out
}
