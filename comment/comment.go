// Package comment scores comments for hostility with a linear model over
// hashed features, and points at the words that carried each flagged label.
//
// The default model is embedded in the binary; Load reads another through
// an fs.FS.
package comment

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/profanity"
	"github.com/forewarn/forewarn/textseg"
)

//go:embed model/comment.fwm
var embedded embed.FS

// DefaultModelName is the embedded model's file name within Embedded.
const DefaultModelName = "model/comment.fwm"

var (
	defaultOnce sync.Once
	defaultC    *Classifier
	defaultErr  error
)

// Default returns the classifier on the embedded model, loaded once.
func Default() (*Classifier, error) {
	defaultOnce.Do(func() {
		var m *linear.Model
		m, defaultErr = linear.Load(embedded, DefaultModelName)
		if defaultErr == nil {
			defaultC, defaultErr = New(m)
		}
	})
	return defaultC, defaultErr
}

// Load returns a classifier on the model file name in fsys.
func Load(fsys fs.FS, name string) (*Classifier, error) {
	m, err := linear.Load(fsys, name)
	if err != nil {
		return nil, err
	}
	return New(m)
}

// Classifier scores comments. It is safe for concurrent use.
type Classifier struct {
	model  *linear.Model
	parent []int     // per label, the label it refines, or -1
	hate   int       // index of the hate label, or -1
	pool   sync.Pool // of *scratch
}

// scratch holds one goroutine's reusable buffers.
type scratch struct {
	ex      *features.Extractor
	feats   []features.Feature
	z       []float64
	contrib []float64
}

// New returns a classifier on m.
func New(m *linear.Model) (*Classifier, error) {
	if _, err := features.NewExtractor(m.Features); err != nil {
		return nil, fmt.Errorf("%w: %v", forewarn.ErrBadModel, err)
	}
	c := &Classifier{model: m, parent: make([]int, len(m.Labels))}
	c.hate = slices.Index(m.Labels, "hate")
	for l, name := range m.Labels {
		c.parent[l] = -1
		if name == "targeted" || name == "hate" {
			c.parent[l] = slices.Index(m.Labels, "offensive")
		}
	}
	c.pool.New = func() any {
		ex, _ := features.NewExtractor(m.Features)
		return &scratch{ex: ex, z: make([]float64, len(m.Labels))}
	}
	return c, nil
}

// Model returns the classifier's model.
func (c *Classifier) Model() *linear.Model { return c.model }

// Labels returns the model's labels in order.
func (c *Classifier) Labels() []string { return c.model.Labels }

// Explain is the allocation-light core of Classify: it writes the
// calibrated probability of every label into probs, reports the labels that
// reached their thresholds as a bit set, and appends the evidence for them
// to ev.
func (c *Classifier) Explain(text string, probs []float64, ev []forewarn.Evidence) (flagged uint64, _ []forewarn.Evidence) {
	m := c.model
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	var toks []textseg.Token
	s.feats, toks = s.ex.Extract(s.feats[:0], text)
	m.Margins(s.feats, s.z)
	for l, z := range s.z {
		probs[l] = m.Prob(l, z)
	}
	for l := range s.z {
		if probs[l] < m.Thresholds[l] || !c.parentFlagged(l, probs) || l == c.hate && !namesGroup(toks) {
			continue
		}
		flagged |= 1 << l
		s.contrib = s.contrib[:0]
		for range toks {
			s.contrib = append(s.contrib, 0)
		}
		m.Contributions(s.feats, l, s.contrib)
		for _, sp := range Phrases(toks, s.contrib) {
			ev = append(ev, forewarn.Evidence{Label: m.Labels[l], Start: sp.Start, End: sp.End})
		}
	}
	return flagged, ev
}

// namesGroup reports whether any token names an identity group or is a
// slur. Hate is an attack on an identity, so without one a hostile text is
// an insult, not hate: the model alone, trained on tweets where slurs and
// insults go together, calls plain insults hate too often.
func namesGroup(toks []textseg.Token) bool {
	for _, t := range toks {
		if profanity.Of(t.Plain)&(profanity.Identity|profanity.Slur) != 0 {
			return true
		}
	}
	return false
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
