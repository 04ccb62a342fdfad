package warn

import (
	"cmp"
	"math"
	"slices"

	"github.com/forewarn/forewarn"
)

// contextWindow is how many tokens either side of a hit a context word may
// sit, within the same sentence.
const contextWindow = 8

// applyContext moves hits to the topic their context shows: a death near
// "baby" is a child's death, and a death in a sentence that names someone
// another, narrower topic is about (the baby of "losing baby Jack") belongs
// to that topic. Narrower topics come earlier in Taxonomy.
func (d *Detector) applyContext(s *scratch) {
	lex := d.lex
	for i := range s.hits {
		h := &s.hits[i]
		for _, r := range lex.contexts {
			if h.topic != r.from {
				continue
			}
			if d.nearWord(s, h, r.words) {
				h.topic = r.to
				break
			}
		}
	}
	var refs []ref
	for _, h := range s.hits {
		if h.name >= 0 && !h.support {
			refs = append(refs, ref{key(s.toks[h.name].Plain), h.topic})
		}
	}
	if len(refs) == 0 {
		return
	}
	for i := range s.hits {
		h := &s.hits[i]
		if !lex.referents[h.topic] {
			continue
		}
		sent := s.sentOf[h.tok]
		for j := h.end - 1; j >= 0 && s.sentOf[j] == sent; j-- {
			if t, ok := findRef(refs, key(s.toks[j].Plain)); ok && t < h.topic {
				h.topic = t
				break
			}
		}
		for j := h.end; j < len(s.toks) && s.sentOf[j] == sent; j++ {
			if t, ok := findRef(refs, key(s.toks[j].Plain)); ok && t < h.topic {
				h.topic = t
				break
			}
		}
	}
}

// ref is someone a topic is about, named in the text.
type ref struct {
	key   string
	topic int
}

// findRef returns the narrowest topic that someone named k is about.
func findRef(refs []ref, k string) (int, bool) {
	best, ok := 0, false
	for _, r := range refs {
		if r.key == k && (!ok || r.topic < best) {
			best, ok = r.topic, true
		}
	}
	return best, ok
}

func (d *Detector) nearWord(s *scratch, h *hit, words map[uint32]bool) bool {
	sent := s.sentOf[h.tok]
	lo := max(0, h.tok-contextWindow)
	hi := min(len(s.ids), h.end+contextWindow)
	for j := lo; j < hi; j++ {
		if s.sentOf[j] == sent && words[s.ids[j]] {
			return true
		}
	}
	return false
}

// sentWeight holds a sentence's strongest lexicon and learned weights for
// a topic (both 0 when only supporting words sit there).
type sentWeight struct{ lex, learned float64 }

// weight combines the two as independent signals.
func (w sentWeight) weight() float64 { return 1 - (1-w.lex)*(1-w.learned) }

// topicAcc gathers one topic's hits.
type topicAcc struct {
	sents map[int32]sentWeight
	real  int // sentences with a real hit
	ev    []forewarn.TopicEvidence
	para  int32
	// lead is true when a sentence of the first paragraph (the headline
	// or the lead) carries the topic in a text of several paragraphs.
	lead bool
}

// Prominence thresholds, in sentences that carry a topic. A topic is
// discussed when two sentences name it; it is detailed when at least three
// do and the text dwells on it: vivid sentences, many sentences, or a third
// of the text.
const (
	discussionSentences = 2
	detailedSentences   = 3
	vividSentences      = 2
	manySentences       = 10
)

func (d *Detector) aggregate(s *scratch) []forewarn.Topic {
	accs := map[int]*topicAcc{}
	for _, h := range s.hits {
		a := accs[h.topic]
		if a == nil {
			a = &topicAcc{sents: map[int32]sentWeight{}, para: math.MaxInt32}
			accs[h.topic] = a
		}
		sent := s.sentOf[h.tok]
		w := 0.0
		if !h.support {
			w = h.weight
		}
		old, seen := a.sents[sent]
		if w > 0 && (!seen || old.weight() == 0) {
			a.real++
		}
		if w > 0 && s.paraOf[sent] == 0 && len(s.paras) > 1 {
			a.lead = true
		}
		if h.learned {
			old.learned = max(old.learned, w)
		} else {
			old.lex = max(old.lex, w)
		}
		a.sents[sent] = old
		a.para = min(a.para, s.paraOf[sent])
		a.ev = append(a.ev, forewarn.TopicEvidence{
			Start: s.toks[h.tok].Start, End: s.toks[h.end-1].End,
			SentenceStart: s.sents[sent].Start, SentenceEnd: s.sents[sent].End,
		})
	}
	var out []forewarn.Topic
	for t, a := range accs {
		if a.real == 0 {
			continue
		}
		out = append(out, d.topicOf(s, t, a))
	}
	return out
}

// topicOf turns a topic's hits into its score, prominence and evidence.
func (d *Detector) topicOf(s *scratch, t int, a *topicAcc) forewarn.Topic {
	miss := 1.0
	vivid := 0
	for sent, w := range a.sents {
		miss *= 1 - w.weight()
		if s.vivid[sent] > 0 {
			vivid++
		}
	}
	score := 1 - miss
	n := len(a.sents)
	p := forewarn.Mention
	switch {
	case a.real >= detailedSentences && (vivid >= vividSentences || n >= manySentences || n*3 >= len(s.sents)):
		p = forewarn.Detailed
	case a.real >= discussionSentences, a.lead, a.real*2 > len(s.sents):
		// A topic in the headline or the lead, or in more than half of
		// the text's sentences (a one-line headline, a short post), is
		// what the text is about, never a passing mention.
		p = forewarn.Discussion
	}
	// Longest first at each start, then drop spans inside an earlier one.
	slices.SortFunc(a.ev, func(x, y forewarn.TopicEvidence) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(y.End, x.End))
	})
	ev := a.ev[:0]
	for _, e := range a.ev {
		if len(ev) > 0 && e.End <= ev[len(ev)-1].End {
			continue
		}
		ev = append(ev, e)
	}
	a.ev = ev
	return forewarn.Topic{
		ID:         Taxonomy[t].ID,
		Name:       d.cfg.name(Taxonomy[t]),
		Score:      math.Round(score*1000) / 1000,
		Prominence: p,
		Evidence:   a.ev,
		Paragraph:  int(a.para),
	}
}

// sortTopics orders topics by prominence, then by the taxonomy's severity
// order.
func sortTopics(ts []forewarn.Topic) {
	slices.SortFunc(ts, func(a, b forewarn.Topic) int {
		return cmp.Or(cmp.Compare(b.Prominence, a.Prominence), cmp.Compare(topicIndex[a.ID], topicIndex[b.ID]))
	})
}
