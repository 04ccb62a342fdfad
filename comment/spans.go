package comment

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/textseg"
)

// SpanLabel is the single label of the span model: the token is part of
// what makes the comment toxic.
const SpanLabel = "toxic_span"

// SpanModel finds the words that make a comment toxic: a logistic model
// over each token's own features and the single-word features of its
// neighbours, learned from the SemEval-2021 toxic-spans training data. Its
// threshold is in the model's Thresholds.
type SpanModel struct {
	m *linear.Model
}

// NewSpanModel returns a span model on m, which must have the one label
// SpanLabel.
func NewSpanModel(m *linear.Model) (*SpanModel, error) {
	if len(m.Labels) != 1 || m.Labels[0] != SpanLabel {
		return nil, fmt.Errorf("%w: span model labels %v", forewarn.ErrBadModel, m.Labels)
	}
	if _, err := features.NewExtractor(m.Features); err != nil {
		return nil, fmt.Errorf("%w: %v", forewarn.ErrBadModel, err)
	}
	return &SpanModel{m: m}, nil
}

// Model returns the span model's linear model.
func (s *SpanModel) Model() *linear.Model { return s.m }

// Side salts for the features a token borrows from its neighbours.
const (
	saltLeft  = 0x6c656674
	saltRight = 0x72696768
)

// tokenBuckets holds, for every token, the buckets of its features: those
// that cover it, and the one-word features of the word before and the word
// after under a side salt. A feature over several words counts for each.
// The buckets of all tokens share one slice, so that a long text costs a
// few allocations rather than several per token.
type tokenBuckets struct {
	off []int32 // token i's buckets are all[off[i]:off[i+1]]
	all []uint32
	at  []int32 // where the next bucket of each token goes, while filling
}

// of returns the buckets of token i.
func (tb *tokenBuckets) of(i int) []uint32 { return tb.all[tb.off[i]:tb.off[i+1]:tb.off[i+1]] }

// fill computes the buckets of ntok tokens from feats, each token's in the
// order of feats.
func (tb *tokenBuckets) fill(feats []features.Feature, ntok int, mask uint32) {
	tb.off = slices.Grow(tb.off[:0], ntok+1)[:ntok+1]
	clear(tb.off)
	eachBucket(feats, ntok, mask, func(t int, _ uint32) { tb.off[t+1]++ })
	for i := 1; i <= ntok; i++ {
		tb.off[i] += tb.off[i-1]
	}
	tb.all = slices.Grow(tb.all[:0], int(tb.off[ntok]))[:tb.off[ntok]]
	tb.at = append(tb.at[:0], tb.off[:ntok]...)
	eachBucket(feats, ntok, mask, func(t int, b uint32) {
		tb.all[tb.at[t]] = b
		tb.at[t]++
	})
}

// eachBucket calls fn with every token and bucket of tokenBuckets, in the
// order of feats.
func eachBucket(feats []features.Feature, ntok int, mask uint32, fn func(t int, b uint32)) {
	for _, f := range feats {
		for t := f.Tok; t < f.TokEnd; t++ {
			fn(int(t), f.Bucket)
		}
		if f.TokEnd != f.Tok+1 {
			continue
		}
		if t := int(f.Tok) + 1; t < ntok {
			fn(t, salted(f.Bucket, saltLeft, mask))
		}
		if t := int(f.Tok) - 1; t >= 0 {
			fn(t, salted(f.Bucket, saltRight, mask))
		}
	}
}

// salted moves a bucket to another one for a side, with a multiplicative
// hash of the bucket and the salt.
func salted(b uint32, salt uint64, mask uint32) uint32 {
	return uint32((uint64(b)^salt)*0x9e3779b97f4a7c15>>32) & mask
}

// spanScratch holds reusable buffers for Find.
type spanScratch struct {
	ex    *features.Extractor
	feats []features.Feature
	tb    tokenBuckets
	z     [1]float64
}

// Find appends to dst the byte spans of the toxic words of text: runs of
// tokens over the threshold, joined across the white space between them.
func (s *SpanModel) Find(dst []forewarn.Span, text string, sc *spanScratch) []forewarn.Span {
	var toks []textseg.Token
	sc.feats, toks = sc.ex.Extract(sc.feats[:0], text)
	return s.fromTokens(dst, text, toks, sc)
}

func (s *SpanModel) fromTokens(dst []forewarn.Span, text string, toks []textseg.Token, sc *spanScratch) []forewarn.Span {
	sc.tb.fill(sc.feats, len(toks), s.m.Features.Buckets-1)
	return joinSpans(dst, text, toks, s.m.Thresholds[0], func(i int) float64 {
		ex := linear.Example{Buckets: sc.tb.of(i)}
		s.m.MarginsOf(&ex, sc.z[:])
		return s.m.Prob(0, sc.z[0])
	})
}

// joinSpans appends the spans of the runs of tokens whose probability is
// at least th, joined across the white space between them.
func joinSpans(dst []forewarn.Span, text string, toks []textseg.Token, th float64, prob func(i int) float64) []forewarn.Span {
	open := false
	for i, t := range toks {
		switch {
		case prob(i) < th:
			open = false
		case open && onlySpace(text[dst[len(dst)-1].End:t.Start]):
			dst[len(dst)-1].End = t.End
		default:
			dst, open = append(dst, forewarn.Span{Start: t.Start, End: t.End}), true
		}
	}
	return dst
}

func onlySpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

func (s *SpanModel) scratch() *spanScratch {
	ex, _ := features.NewExtractor(s.m.Features)
	return &spanScratch{ex: ex}
}

// SpanF1 is the SemEval-2021 Task 5 score of predicted spans against gold
// spans of one text: the F1 of their sets of characters (here bytes), 1
// when both are empty and 0 when only one is.
func SpanF1(pred []forewarn.Span, gold []dataset.ByteSpan) float64 {
	g := map[int]bool{}
	for _, s := range gold {
		for b := s.Start; b < s.End; b++ {
			g[b] = true
		}
	}
	p := map[int]bool{}
	for _, s := range pred {
		for b := s.Start; b < s.End; b++ {
			p[b] = true
		}
	}
	if len(g) == 0 || len(p) == 0 {
		if len(g) == len(p) {
			return 1
		}
		return 0
	}
	tp := 0
	for b := range p {
		if g[b] {
			tp++
		}
	}
	if tp == 0 {
		return 0
	}
	prec, rec := float64(tp)/float64(len(p)), float64(tp)/float64(len(g))
	return 2 * prec * rec / (prec + rec)
}

// MeanSpanF1 returns the mean SpanF1 of the span model over texts, the
// SemEval-2021 Task 5 figure.
func (s *SpanModel) MeanSpanF1(texts []dataset.SpanText) float64 {
	sc := s.scratch()
	var sum float64
	var pred []forewarn.Span
	for _, t := range texts {
		pred = s.Find(pred[:0], t.Text, sc)
		sum += SpanF1(pred, t.Spans)
	}
	return sum / float64(max(len(texts), 1))
}

// SpanRecipe says how the span model learns.
type SpanRecipe struct {
	// Files are the SemEval toxic-spans files to learn from (never the
	// test file).
	Files []string `json:"files"`
	// Folds is the number of folds whose out-of-fold token scores choose
	// the threshold with the best mean span F1.
	Folds    int                `json:"folds"`
	Features features.Config    `json:"features"`
	Train    linear.TrainConfig `json:"train"`
}

// DefaultSpanRecipe is the recipe of the embedded span model: the SemEval
// training and trial files, 5 folds, the comment model's features, and
// the comment model's optimiser settings.
var DefaultSpanRecipe = SpanRecipe{
	Files:    []string{"toxic-spans/semeval2021/tsd_train.csv", "toxic-spans/semeval2021/tsd_trial.csv"},
	Folds:    5,
	Features: features.DefaultConfig,
	Train:    linear.TrainConfig{Epochs: 5, LR: 0.1, L2: 1e-6, Seed: 1, Objective: "f1"},
}

// TrainSpans trains the span model on the files of r under data and
// returns it with its out-of-fold mean span F1.
func TrainSpans(r SpanRecipe, data string) (*linear.Model, float64, error) {
	var texts []dataset.SpanText
	for _, f := range r.Files {
		ts, err := dataset.ToxicSpansSemEval(data + "/" + f)
		if err != nil {
			return nil, 0, err
		}
		texts = append(texts, ts...)
	}
	ex, err := features.NewExtractor(r.Features)
	if err != nil {
		return nil, 0, err
	}
	// One example per token; owner[k] is the text of example k.
	var examples []linear.Example
	var owner []int
	toks := make([][]textseg.Token, len(texts))
	var feats []features.Feature
	var tb tokenBuckets
	mask := r.Features.Buckets - 1
	for i, t := range texts {
		var tk []textseg.Token
		feats, tk = ex.Extract(feats[:0], t.Text)
		toks[i] = append([]textseg.Token(nil), tk...)
		tb.fill(feats, len(tk), mask)
		for j, tok := range tk {
			y := int8(0)
			for _, s := range t.Spans {
				if tok.Start < s.End && s.Start < tok.End {
					y = 1
				}
			}
			examples = append(examples, linear.Example{Buckets: append([]uint32(nil), tb.of(j)...), Y: []int8{y}})
			owner = append(owner, i)
		}
	}
	folds := max(r.Folds, 2)
	foldOf := func(i int) int { return int(xxhash.Sum64String("spanfold/"+strconv.Itoa(i)) % uint64(folds)) }
	margins := make([]float64, len(examples))
	for f := range folds {
		var fit []linear.Example
		for k := range examples {
			if foldOf(owner[k]) != f {
				fit = append(fit, examples[k])
			}
		}
		fm, err := linear.Train(fit, []string{SpanLabel}, r.Features, r.Train, nil)
		if err != nil {
			return nil, 0, err
		}
		z := make([]float64, 1)
		for k := range examples {
			if foldOf(owner[k]) == f {
				fm.MarginsOf(&examples[k], z)
				margins[k] = z[0]
			}
		}
	}
	m, err := linear.Train(examples, []string{SpanLabel}, r.Features, r.Train, nil)
	if err != nil {
		return nil, 0, err
	}
	ys := make([]int8, len(examples))
	for k := range examples {
		ys[k] = examples[k].Y[0]
	}
	m.CalibrateLabel(0, margins, ys, "f1")
	// The threshold that matters is the one with the best mean span F1
	// over texts, not the best token F1: search a grid on the
	// out-of-fold token probabilities.
	best, bestTh := -1.0, m.Thresholds[0]
	for th := 0.1; th < 0.9; th += 0.025 {
		var sum float64
		k := 0
		var pred []forewarn.Span
		for i, t := range texts {
			pred = joinSpans(pred[:0], t.Text, toks[i], th, func(j int) float64 { return m.Prob(0, margins[k+j]) })
			k += len(toks[i])
			sum += SpanF1(pred, t.Spans)
		}
		if f := sum / float64(len(texts)); f > best {
			best, bestTh = f, th
		}
	}
	m.Thresholds[0] = bestTh
	if m.Notes == nil {
		m.Notes = map[string]string{}
	}
	m.Notes["oof_mean_span_f1"] = strconv.FormatFloat(best, 'f', 4, 64)
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, 0, err
	}
	if m, err = linear.Decode(b); err != nil {
		return nil, 0, err
	}
	return m, best, nil
}
