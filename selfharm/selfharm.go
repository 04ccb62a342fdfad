// Package selfharm scores whether the writer of a comment seems to be at
// risk of suicide or self-harm themself, as distinct from talking about
// suicide in the third person, worrying about someone else, hyperbole and
// jokes ("this exam killed me"), and past risk they have recovered from.
//
// The model is a one-label linear model over hashed word unigrams and
// bigrams and character n-grams (packages features and linear), trained on
// short windows of public Reddit posts and comments (SDCNL, the reddit
// C-SSRS users, Dreaddit, GoEmotions) and on team-written short comments
// (see Train and DefaultRecipe). It is embedded in the binary; Load reads
// another.
package selfharm

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/textseg"
)

// Label is the model's one output, and the name of its score in the
// comment model's scores and the moderator's verdicts.
const Label = "self_harm"

//go:embed model/selfharm.fwm
var embedded embed.FS

// DefaultModelName is the embedded model's file name.
const DefaultModelName = "model/selfharm.fwm"

var (
	defaultOnce sync.Once
	defaultM    *Model
	defaultErr  error
)

// Default returns the model embedded in the binary, loaded once.
func Default() (*Model, error) {
	defaultOnce.Do(func() { defaultM, defaultErr = Load(embedded, DefaultModelName) })
	return defaultM, defaultErr
}

// Load reads a self-harm model file from fsys.
func Load(fsys fs.FS, name string) (*Model, error) {
	lm, err := linear.Load(fsys, name)
	if err != nil {
		return nil, err
	}
	return New(lm)
}

// Model scores comments for first-person risk. It is safe for concurrent
// use.
type Model struct {
	lm   *linear.Model
	pool sync.Pool // of *scratch
}

type scratch struct {
	ex      *features.Extractor
	feats   []features.Feature
	contrib []float64
	z       [1]float64
}

// New returns a model on the linear model lm, which must have the one
// label Label.
func New(lm *linear.Model) (*Model, error) {
	if len(lm.Labels) != 1 || lm.Labels[0] != Label {
		return nil, fmt.Errorf("self-harm model has labels %q, want [%s]: %w", lm.Labels, Label, forewarn.ErrBadModel)
	}
	if _, err := features.NewExtractor(lm.Features); err != nil {
		return nil, fmt.Errorf("%w: %v", forewarn.ErrBadModel, err)
	}
	m := &Model{lm: lm}
	m.pool.New = func() any {
		ex, _ := features.NewExtractor(lm.Features)
		return &scratch{ex: ex}
	}
	return m, nil
}

// Linear returns the underlying linear model.
func (m *Model) Linear() *linear.Model { return m.lm }

// Threshold is the calibrated score at or above which the model flags a
// comment, chosen at training for a stated target (see Train).
func (m *Model) Threshold() float64 { return m.lm.Thresholds[0] }

// Score returns the calibrated probability that the writer of text seems
// at risk.
func (m *Model) Score(text string) float64 {
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	s.feats, _ = s.ex.Extract(s.feats[:0], text)
	return m.prob(s)
}

// ScoreTokens is Score on a text already segmented by textseg, so that a
// caller that has the tokens does not segment the text twice.
func (m *Model) ScoreTokens(toks []textseg.Token) float64 {
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	s.feats = s.ex.FromTokens(s.feats[:0], toks)
	return m.prob(s)
}

func (m *Model) prob(s *scratch) float64 {
	m.lm.Margins(s.feats, s.z[:])
	return m.lm.Prob(0, s.z[0])
}

// Evidence appends to ev the words of the segmented text toks that pushed
// its score up the most (see comment.Phrases), labelled Label: at most
// forewarn.MaxEvidence spans.
func (m *Model) Evidence(toks []textseg.Token, ev []forewarn.Evidence) []forewarn.Evidence {
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	s.feats = s.ex.FromTokens(s.feats[:0], toks)
	s.contrib = append(s.contrib[:0], make([]float64, len(toks))...)
	m.lm.Contributions(s.feats, 0, s.contrib)
	spans := comment.Phrases(toks, s.contrib)
	for _, sp := range spans[:min(len(spans), forewarn.MaxEvidence)] {
		ev = append(ev, forewarn.Evidence{Label: Label, Start: sp.Start, End: sp.End})
	}
	return ev
}

// Apply puts the model's judgement of text in place of the self_harm head
// of a comment model's result: probs[l] (l being Label's index in labels)
// becomes the model's score, its bit in flagged says whether it reaches
// Threshold, and the evidence labelled Label in ev is replaced by the
// model's. Labels without Label are returned unchanged.
func (m *Model) Apply(text string, labels []string, probs []float64, flagged uint64, ev []forewarn.Evidence) (uint64, []forewarn.Evidence) {
	if !slices.Contains(labels, Label) {
		return flagged, ev
	}
	return m.ApplyTokens(textseg.Tokens(text), labels, probs, flagged, ev)
}

// ApplyTokens is Apply on a text already segmented by textseg into toks.
func (m *Model) ApplyTokens(toks []textseg.Token, labels []string, probs []float64, flagged uint64, ev []forewarn.Evidence) (uint64, []forewarn.Evidence) {
	l := slices.Index(labels, Label)
	if l < 0 {
		return flagged, ev
	}
	keep := ev[:0]
	for _, e := range ev {
		if e.Label != Label {
			keep = append(keep, e)
		}
	}
	ev = keep
	probs[l] = m.ScoreTokens(toks)
	flagged &^= 1 << l
	if probs[l] >= m.Threshold() {
		flagged |= 1 << l
		ev = m.Evidence(toks, ev)
	}
	return flagged, ev
}
