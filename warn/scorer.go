package warn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/textseg"
)

// Scorer is a learned topic model. Its labels are taxonomy topic ids.
// Implementations are safe for concurrent use.
type Scorer interface {
	// Labels returns the topic ids the model scores, in order.
	Labels() []string
	// Thresholds returns, per label, the probability at or above which a
	// passage is about the topic.
	Thresholds() []float64
	// Score reads the passage made of toks, whose sentences end at the
	// token indices in ends (ascending, the last len(toks)), in which the
	// phrase lexicon found the topic ids lexTopics: evidence the model
	// weighs like its other inputs. It writes into probs, per label, the
	// calibrated probability that the passage is about the topic. For
	// every label l at or above its threshold and every sentence i, it
	// writes at l*len(ends)+i of sentP the probability that the sentence
	// alone is about the topic, and of sentTok the index in toks of the
	// sentence's token that adds most to the label (-1 for a sentence
	// without tokens); other labels' entries are left alone.
	Score(toks []textseg.Token, ends []int, lexTopics []string, probs, sentP []float64, sentTok []int)
}

// LexiconTag returns the name of the model input that says the phrase
// lexicon found topic id in a text; training and scoring must agree on it.
func LexiconTag(id string) string {
	if t, ok := lexiconTags[id]; ok {
		return t
	}
	return "lexicon:" + id
}

// lexiconTags holds LexiconTag of every topic, made once.
var lexiconTags = func() map[string]string {
	m := make(map[string]string, len(Taxonomy))
	for _, t := range Taxonomy {
		m[t.ID] = "lexicon:" + t.ID
	}
	return m
}()

// passageTokens is the length a passage given to the learned model grows
// to: paragraphs are joined until they reach it, since the models learned
// from passages of a few sentences (Webis passages and Dreaddit segments
// run to about 80 words).
const passageTokens = 80

// shortText is the length in tokens below which the whole text is too
// short for the learned model to decide: the model learned from passages
// (Webis passages, Dreaddit segments, SDCNL posts) that are nearly all
// longer, and on a line or two its margin is little more than its bias.
// A text this short keeps the lexicon's phrases as they are, and the model
// only adds topics it finds.
const shortText = 24

// decidedScore is the score a topic of Options.ModelDecides has where the
// model found it at its label's threshold: the default policy's min_score
// (warn/styles.json), so that the default policy keeps what the model
// decided. The model's probabilities are calibrated over everyday text
// too, where a topic is rare, so a label's threshold often lies far below
// the policy's minimum, which then undid the model's decisions.
const decidedScore = 0.6

// decisionScore maps a probability p at or above threshold thr onto
// [decidedScore, 1], linearly: a topic's score then says how far past its
// decision the model is, on the same scale for every label, and a
// publisher's min_score above the default asks the model to be surer.
func decisionScore(p, thr float64) float64 {
	if thr >= 1 {
		return p
	}
	return min(1, decidedScore+(1-decidedScore)*max(0, p-thr)/(1-thr))
}

// passage is a stretch of whole paragraphs: tokens [lo, hi).
type passage struct{ lo, hi int }

// learned lets the scorer decide the topics it has labels for. It reads
// the whole text in passages of whole paragraphs; a label's topic is found
// in a passage whose probability reaches the label's threshold, and then
// every sentence of that passage the model also finds it in on its own,
// or that holds a lexicon phrase of the topic, carries it, which makes the
// topic's prominence the share of the text the model finds it in.
//
// The lexicon proposes: its phrases are inputs of the model (see
// LexiconTag) and evidence spans, but a phrase of a scorer topic, or one
// that context moved from a scorer topic (a death near "child"), counts
// only in a passage the model found that topic in. Tokens of innocent
// phrases and negated phrases are left out of what the model reads.
func (d *Detector) learned(s *scratch, hits []hit) []hit {
	if len(s.toks) == 0 {
		return hits
	}
	labels := d.scorer.Labels()
	thr := d.scorer.Thresholds()
	L := len(labels)
	if cap(s.probs) < L {
		s.probs = make([]float64, L)
	}
	probs := s.probs[:L]
	// Cut the text into passages.
	s.passages = s.passages[:0]
	lo, n := 0, 0
	para := s.paraOf[s.sentOf[0]]
	for i := range s.toks {
		if p := s.paraOf[s.sentOf[i]]; p != para {
			para = p
			if n >= passageTokens {
				s.passages = append(s.passages, passage{lo, i})
				lo, n = i, 0
			}
		}
		if !s.masked[i] {
			n++
		}
	}
	s.passages = append(s.passages, passage{lo, len(s.toks)})
	s.pos = append(s.pos[:0], make([]bool, len(s.passages)*L)...)
	first := len(hits)
	h0 := 0 // first lexicon hit at or after the passage
	for pi, p := range s.passages {
		// The unmasked tokens, their sentence ends and the lexicon's
		// topics of the passage.
		s.pass, s.passWord, s.idx, s.ends, s.tags = s.pass[:0], s.passWord[:0], s.idx[:0], s.ends[:0], s.tags[:0]
		for i := p.lo; i < p.hi; i++ {
			if len(s.idx) > 0 && s.sentOf[i] != s.sentOf[s.idx[len(s.idx)-1]] {
				s.ends = append(s.ends, len(s.idx))
			}
			if !s.masked[i] {
				if s.mx != nil {
					s.passWord = append(s.passWord, s.tokWord[i])
				} else {
					s.pass = append(s.pass, s.toks[i])
				}
				s.idx = append(s.idx, i)
			}
		}
		if len(s.idx) == 0 {
			continue
		}
		s.ends = append(s.ends, len(s.idx))
		for h0 < first && hits[h0].tok < p.lo {
			h0++
		}
		for _, h := range hits[h0:first] {
			if h.tok >= p.hi {
				break
			}
			if id := Taxonomy[h.topic].ID; !h.support && !slices.Contains(s.tags, id) {
				s.tags = append(s.tags, id)
			}
		}
		ns := len(s.ends)
		s.sentP = append(s.sentP[:0], make([]float64, L*ns)...)
		s.sentTok = append(s.sentTok[:0], make([]int, L*ns)...)
		if s.mx != nil {
			d.model.score(s.mx, s.passWord, s.ends, s.tags, probs, s.sentP, s.sentTok)
		} else {
			d.scorer.Score(s.pass, s.ends, s.tags, probs, s.sentP, s.sentTok)
		}
		for l, pr := range probs {
			if pr < thr[l] {
				continue
			}
			s.pos[pi*L+l] = true
			t := topicIndex[labels[l]]
			best := -1
			for i := range ns {
				if k := s.sentTok[l*ns+i]; k >= 0 && (best < 0 || s.sentP[l*ns+i] > s.sentP[l*ns+best]) {
					best = i
				}
			}
			for i := range ns {
				k := s.sentTok[l*ns+i]
				if k < 0 || (i != best && s.sentP[l*ns+i] < thr[l]) {
					continue
				}
				// The passage's own probability stands for its
				// likeliest sentence, which always carries the topic.
				w := s.sentP[l*ns+i]
				if i == best {
					w = max(w, pr)
				}
				if d.decides[l] && len(s.toks) >= shortText {
					w = decisionScore(w, thr[l])
				}
				k = s.idx[k]
				hits = append(hits, hit{topic: t, from: t, weight: w, tok: k, end: k + 1, name: -1, learned: true})
			}
		}
	}
	if len(s.toks) < shortText {
		return hits
	}
	// Lexicon phrases of scorer topics count only where the model agrees.
	// A phrase that context moved from a scorer topic to one the model
	// has no label for counts where the model finds the first topic, or
	// where the lexicon names the second directly.
	direct := s.direct[:0]
	for _, h := range hits[:first] {
		if !h.support && h.from == h.topic {
			direct = append(direct, h)
		}
	}
	s.direct = direct
	out := hits[:0]
	pi := 0
	for _, h := range hits {
		if !h.learned && !h.support {
			pi = passageOf(s.passages, pi, h.tok)
			if l := d.labelOf[h.topic]; l >= 0 && !s.pos[pi*L+l] {
				continue
			}
			if l := d.labelOf[h.from]; l >= 0 && d.labelOf[h.topic] < 0 && !s.pos[pi*L+l] && !namedIn(direct, h.topic, s.passages[pi]) {
				continue
			}
		}
		out = append(out, h)
	}
	return out
}

// passageOf returns the index of the passage holding token tok, searching
// from passage pi.
func passageOf(ps []passage, pi, tok int) int {
	for pi > 0 && tok < ps[pi].lo {
		pi--
	}
	for tok >= ps[pi].hi {
		pi++
	}
	return pi
}

// namedIn reports whether one of hits is of topic t and within p.
func namedIn(hits []hit, t int, p passage) bool {
	for _, h := range hits {
		if h.topic == t && h.tok >= p.lo && h.tok < p.hi {
			return true
		}
	}
	return false
}

// ModelScorer adapts a linear topic model to Scorer.
type ModelScorer struct {
	m    *linear.Model
	pool sync.Pool // *modelScratch
}

// wordCacheSize bounds the word forms a scratch remembers the features
// of; at about 80 bytes a form (14 labels' weights, the hash, the key) it
// is a few megabytes. A 100 KB article has some 4,000 forms, so a
// server's scratch keeps the common words of many articles; when full the
// cache starts again, before a text (never within one, whose tokens hold
// their entries).
const wordCacheSize = 1 << 15

type modelScratch struct {
	ext   *features.Extractor
	feats []features.Feature
	z     []float64
	// words maps a word form to its entry in vecs, hashes and nfeat: the
	// sum of the weights of its own features (word and character
	// n-grams) per label, its hash and how many features it has. The
	// sums are float32, as the weights, kept as float64 (exactly) so
	// that adding them up per passage converts nothing.
	words  map[string]int32
	vecs   []float64
	v32    []float32
	hashes []uint64
	nfeat  []int32
	// tokWord holds per token of the passage its word entry, and bigram
	// the bucket of the bigram the token ends (unused for the first).
	tokWord []int32
	bigram  []int32
	contrib []float64
	sum     []float64
	n       []int
	// lexID holds per word entry the phrase lexicon's token id, when a
	// Detector uses the scratch as its word table too (see
	// Detector.words); the lexicon is the detector's, fixed with it.
	lexID []uint32
}

var _ Scorer = (*ModelScorer)(nil)

// NewModelScorer wraps m, whose labels must be taxonomy topic ids and
// whose features must not include the profanity lexicon's (their value
// depends on a word's neighbours; topic models do not use them).
func NewModelScorer(m *linear.Model) (*ModelScorer, error) {
	for _, id := range m.Labels {
		if _, ok := topicIndex[id]; !ok {
			return nil, fmt.Errorf("model label %q is not a topic: %w", id, forewarn.ErrBadModel)
		}
	}
	if len(m.Thresholds) != len(m.Labels) {
		return nil, fmt.Errorf("model has %d thresholds for %d labels: %w", len(m.Thresholds), len(m.Labels), forewarn.ErrBadModel)
	}
	if m.Features.Lexicon {
		return nil, fmt.Errorf("topic model with profanity lexicon features: %w", forewarn.ErrBadModel)
	}
	if _, err := features.NewExtractor(m.Features); err != nil {
		return nil, fmt.Errorf("model features: %w", err)
	}
	return &ModelScorer{m: m}, nil
}

func (ms *ModelScorer) scratch() *modelScratch {
	if x, ok := ms.pool.Get().(*modelScratch); ok {
		return x
	}
	return ms.newScratch()
}

// newScratch returns an empty scratch for ms.
func (ms *ModelScorer) newScratch() *modelScratch {
	ext, _ := features.NewExtractor(ms.m.Features) // checked in NewModelScorer
	return &modelScratch{ext: ext, z: make([]float64, len(ms.m.Labels)), words: map[string]int32{}}
}

// trim empties the word table once it holds wordCacheSize forms; it is
// called before a text, never within one, so that entries stay valid
// while a text is read.
func (x *modelScratch) trim() {
	if len(x.words) >= wordCacheSize {
		clear(x.words)
		x.vecs, x.hashes, x.nfeat, x.lexID = x.vecs[:0], x.hashes[:0], x.nfeat[:0], x.lexID[:0]
	}
}

// word returns the entry of the word form plain, extracting its features
// and summing their weights the first time the scratch meets it.
func (x *modelScratch) word(m *linear.Model, plain string) int32 {
	if k, ok := x.words[plain]; ok {
		return k
	}
	L := len(m.Labels)
	var h uint64
	x.feats, h = x.ext.AppendWord(x.feats[:0], plain, 0)
	k := int32(len(x.hashes))
	v := append(x.v32[:0], make([]float32, L)...)
	x.v32 = v
	for _, f := range x.feats {
		for l, w := range m.W[int(f.Bucket)*L : int(f.Bucket)*L+L] {
			v[l] += w
		}
	}
	for _, w := range v {
		x.vecs = append(x.vecs, float64(w))
	}
	x.hashes = append(x.hashes, h)
	x.nfeat = append(x.nfeat, int32(len(x.feats)))
	x.words[strings.Clone(plain)] = k
	return k
}

// Labels implements Scorer.
func (ms *ModelScorer) Labels() []string { return ms.m.Labels }

// Thresholds implements Scorer.
func (ms *ModelScorer) Thresholds() []float64 { return ms.m.Thresholds }

// Score implements Scorer. It computes what the model's Margins and
// Contributions give over features.Extractor.FromTokens, but extracts and
// sums a word form's own features once (see modelScratch.words), adding
// only the bigrams per occurrence.
func (ms *ModelScorer) Score(toks []textseg.Token, ends []int, lexTopics []string, probs, sentP []float64, sentTok []int) {
	x := ms.scratch()
	defer ms.pool.Put(x)
	x.trim()
	x.tokWord = x.tokWord[:0]
	for _, t := range toks {
		x.tokWord = append(x.tokWord, x.word(ms.m, t.Plain))
	}
	ms.score(x, x.tokWord, ends, lexTopics, probs, sentP, sentTok)
}

// score is Score on the passage whose tokens have the word entries words
// in x.
func (ms *ModelScorer) score(x *modelScratch, words []int32, ends []int, lexTopics []string, probs, sentP []float64, sentTok []int) {
	m := ms.m
	L := len(m.Labels)
	bigrams := m.Features.WordNgrams >= 2
	z := x.z
	clear(z)
	x.bigram = x.bigram[:0]
	nFeat := 0
	for i, k := range words {
		nFeat += int(x.nfeat[k])
		b := 0
		if bigrams && i > 0 {
			b = int(x.ext.BigramBucket(x.hashes[words[i-1]], x.hashes[k]))
			nFeat++
		}
		x.bigram = append(x.bigram, int32(b))
	}
	for _, k := range words {
		for l, w := range x.vecs[int(k)*L : int(k)*L+L] {
			z[l] += w
		}
	}
	// The bigrams' rows are all over the weights, a cache miss each: in a
	// loop of their own the loads overlap.
	if bigrams && len(words) > 1 {
		var acc [16]float32
		if L <= len(acc) {
			for _, b := range x.bigram[1:] {
				row := m.W[int(b)*L : int(b)*L+L]
				for l, w := range row {
					acc[l] += w
				}
			}
			for l := range L {
				z[l] += float64(acc[l])
			}
		} else {
			for _, b := range x.bigram[1:] {
				for l, w := range m.W[int(b)*L : int(b)*L+L] {
					z[l] += float64(w)
				}
			}
		}
	}
	x.feats = x.feats[:0]
	for _, id := range lexTopics {
		x.feats = x.ext.AppendTag(x.feats, LexiconTag(id), 0, 1)
	}
	for _, f := range x.feats {
		for l, w := range m.W[int(f.Bucket)*L : int(f.Bucket)*L+L] {
			z[l] += float64(w)
		}
	}
	nFeat += len(x.feats)
	scale := 0.0
	if nFeat > 0 {
		scale = 1 / math.Sqrt(float64(nFeat))
	}
	ns := len(ends)
	for l := range z {
		probs[l] = m.Prob(l, float64(m.Bias[l])+z[l]*scale)
		if probs[l] < m.Thresholds[l] {
			continue
		}
		// Each sentence alone: the weights of its words' features (a
		// bigram's split between its two words), scaled as a text of
		// their number; a bigram counts in the sentence of its second
		// word.
		x.contrib = append(x.contrib[:0], make([]float64, len(words))...)
		x.n = append(x.n[:0], make([]int, ns)...)
		sent := 0
		for i, k := range words {
			for i >= ends[sent] {
				sent++
			}
			x.contrib[i] += x.vecs[int(k)*L+l]
			x.n[sent] += int(x.nfeat[k])
			if bigrams && i > 0 {
				half := float64(m.W[int(x.bigram[i])*L+l]) / 2
				x.contrib[i-1] += half
				x.contrib[i] += half
				x.n[sent]++
			}
		}
		x.sum = append(x.sum[:0], make([]float64, ns)...)
		lo := 0
		for i, hi := range ends {
			best := -1
			for t := lo; t < hi; t++ {
				x.sum[i] += x.contrib[t]
				if best < 0 || x.contrib[t] > x.contrib[best] {
					best = t
				}
			}
			sentTok[l*ns+i] = best
			zs := float64(m.Bias[l])
			if x.n[i] > 0 {
				zs += x.sum[i] / math.Sqrt(float64(x.n[i]))
			}
			sentP[l*ns+i] = m.Prob(l, zs)
			lo = hi
		}
	}
}
