// Package features turns text into hashed sparse features for the linear
// models: word unigrams and bigrams and character n-grams of each word,
// hashed with xxhash under a fixed seed into a fixed number of buckets.
//
// Each feature remembers the tokens it came from, so that a model can say
// which words carried its score.
package features

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn/profanity"
	"github.com/forewarn/forewarn/textseg"
)

// Config says which features to extract and how to hash them. It is stored
// in every model file, because a model only makes sense with the features it
// was trained on.
type Config struct {
	// Buckets is the number of hash buckets, a power of two.
	Buckets uint32 `json:"buckets"`
	// Seed is mixed into every hash.
	Seed uint64 `json:"seed"`
	// WordNgrams is the longest word n-gram: 1 or 2.
	WordNgrams int `json:"word_ngrams"`
	// MinN and MaxN bound the character n-grams taken from each word padded
	// with '<' and '>'; MaxN 0 turns them off.
	MinN int `json:"minn"`
	MaxN int `json:"maxn"`
	// Hash is the version of the hashing scheme the buckets come from; a
	// model trained under another version would read the wrong weights.
	Hash int `json:"hash"`
	// Lexicon adds one feature per profanity class of each word (see
	// package profanity), and one for an insult aimed at "you" nearby.
	Lexicon bool `json:"lexicon"`
}

// DefaultConfig is the configuration of the embedded models.
var DefaultConfig = Config{Buckets: 1 << 18, Seed: 0x666f72657761726e, WordNgrams: 2, MinN: 3, MaxN: 5, Lexicon: true, Hash: HashVersion}

// HashVersion is the hashing scheme this build computes. Change it with any
// change to how buckets are computed, and retrain the models.
const HashVersion = 2

// Validate reports a configuration that cannot be used.
func (c Config) Validate() error {
	switch {
	case c.Hash != HashVersion:
		return fmt.Errorf("feature hashing version %d, this build computes version %d: retrain the model", c.Hash, HashVersion)
	case c.Buckets == 0 || bits.OnesCount32(c.Buckets) != 1:
		return fmt.Errorf("buckets %d is not a power of two", c.Buckets)
	case c.WordNgrams < 1 || c.WordNgrams > 2:
		return fmt.Errorf("word n-grams %d not in 1..2", c.WordNgrams)
	case c.MaxN != 0 && (c.MinN < 1 || c.MinN > c.MaxN || c.MaxN > 8):
		return fmt.Errorf("character n-grams %d..%d not within 1..8", c.MinN, c.MaxN)
	}
	return nil
}

// ErrConfig is returned for an unusable configuration.
var ErrConfig = errors.New("bad feature configuration")

// Feature is one hashed feature occurrence.
type Feature struct {
	// Bucket is the feature's hash bucket.
	Bucket uint32
	// Tok and TokEnd are the tokens [Tok, TokEnd) the feature came from.
	Tok, TokEnd int32
}

// Extractor extracts features. It reuses buffers between calls, so it is not
// safe for concurrent use; use one per goroutine.
type Extractor struct {
	cfg  Config
	mask uint32
	seg  textseg.Segmenter
	toks []textseg.Token
	pad  []byte
}

// NewExtractor returns an extractor for cfg.
func NewExtractor(cfg Config) (*Extractor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return &Extractor{cfg: cfg, mask: cfg.Buckets - 1}, nil
}

// Config returns the extractor's configuration.
func (e *Extractor) Config() Config { return e.cfg }

// Kinds of feature, mixed into the hash so that the word "abc" and the
// character trigram "abc" land in different buckets.
const (
	kindWord   = 0x9e3779b97f4a7c15
	kindBigram = 0xc2b2ae3d27d4eb4f
	kindChar   = 0x165667b19e3779f9
	kindLex    = 0x27d4eb2f165667c5
	kindTag    = 0x85ebca6b27d4eb2f
)

// Pair features for an insult within a few words after "you" and after
// "he", "she" or "they".
const (
	aimedSecond = 1 << 8
	aimedThird  = 1 << 9
)

const hostile = profanity.Insult | profanity.Swear | profanity.Slur | profanity.Threat

// mix is a 64-bit finaliser (from SplitMix64): it spreads the xxhash value
// combined with the seed and kind over all bits.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// Extract appends the features of text to dst and returns them with the
// tokens they index. The tokens are valid until the next call.
func (e *Extractor) Extract(dst []Feature, text string) ([]Feature, []textseg.Token) {
	e.toks = e.seg.Append(e.toks[:0], text)
	return e.FromTokens(dst, e.toks), e.toks
}

// FromTokens appends the features of already segmented tokens to dst.
func (e *Extractor) FromTokens(dst []Feature, toks []textseg.Token) []Feature {
	seed := e.cfg.Seed
	var prev uint64
	lastSecond, lastThird := -10, -10
	for i, t := range toks {
		plain := t.Plain
		if e.cfg.Lexicon {
			// A word with hidden letters counts as the word it spells.
			plain = profanity.Resolve(plain)
			c := profanity.Of(plain)
			switch {
			case c&profanity.Second != 0:
				lastSecond = i
			case c&profanity.Third != 0:
				lastThird = i
			}
			for bit := profanity.Class(1); bit != 0 && bit <= c; bit <<= 1 {
				if c&bit != 0 && bit&(profanity.Second|profanity.Third|profanity.Identity) == 0 {
					dst = append(dst, Feature{Bucket: uint32(mix(uint64(bit)^seed^kindLex)) & e.mask, Tok: int32(i), TokEnd: int32(i + 1)})
				}
			}
			if c&hostile != 0 {
				// An insult a few words after "you" is aimed at the reader;
				// after "he" or "she", at someone named.
				if i-lastSecond <= 3 {
					dst = append(dst, Feature{Bucket: uint32(mix(aimedSecond^seed^kindLex)) & e.mask, Tok: int32(lastSecond), TokEnd: int32(i + 1)})
				} else if i-lastThird <= 3 {
					dst = append(dst, Feature{Bucket: uint32(mix(aimedThird^seed^kindLex)) & e.mask, Tok: int32(lastThird), TokEnd: int32(i + 1)})
				}
			}
		}
		w := xxhash.Sum64String(plain)
		dst = append(dst, Feature{Bucket: e.wordBucket(w), Tok: int32(i), TokEnd: int32(i + 1)})
		if e.cfg.WordNgrams >= 2 && i > 0 {
			dst = append(dst, Feature{Bucket: e.BigramBucket(prev, w), Tok: int32(i - 1), TokEnd: int32(i + 1)})
		}
		prev = w
		if e.cfg.MaxN > 0 {
			dst = e.appendChars(dst, plain, int32(i))
		}
	}
	return dst
}

// wordBucket is the bucket of the word unigram whose xxhash is w.
func (e *Extractor) wordBucket(w uint64) uint32 { return uint32(mix(w^e.cfg.Seed^kindWord)) & e.mask }

// BigramBucket returns the bucket of the word bigram whose words' hashes
// (as AppendWord returns them) are prev and w.
func (e *Extractor) BigramBucket(prev, w uint64) uint32 {
	return uint32(mix(prev*0x100000001b3^w^e.cfg.Seed^kindBigram)) & e.mask
}

// AppendWord appends the features that the token plain, at index tok,
// has on its own, whatever its neighbours: its word unigram and its
// character n-grams, as FromTokens gives them (without the profanity
// lexicon's features, which depend on neighbours). It returns the word's
// hash, which BigramBucket pairs with a neighbour's. A caller can keep
// these per word and add the bigrams, getting FromTokens's features
// without extracting a repeated word twice.
func (e *Extractor) AppendWord(dst []Feature, plain string, tok int32) ([]Feature, uint64) {
	w := xxhash.Sum64String(plain)
	dst = append(dst, Feature{Bucket: e.wordBucket(w), Tok: tok, TokEnd: tok + 1})
	if e.cfg.MaxN > 0 {
		dst = e.appendChars(dst, plain, tok)
	}
	return dst, w
}

// AppendTag appends a feature for a named property of the text that is
// not a word, such as a lexicon's topic found in it, credited to the
// tokens [tok, end). Tags hash apart from words and n-grams.
func (e *Extractor) AppendTag(dst []Feature, tag string, tok, end int32) []Feature {
	b := mix(xxhash.Sum64String(tag) ^ e.cfg.Seed ^ kindTag)
	return append(dst, Feature{Bucket: uint32(b) & e.mask, Tok: tok, TokEnd: end})
}

func (e *Extractor) appendChars(dst []Feature, word string, tok int32) []Feature {
	p := append(e.pad[:0], '<')
	p = append(p, word...)
	p = append(p, '>')
	e.pad = p
	// Room for every n-gram of the word, at least doubling dst when it
	// must grow: append grows a large slice by a quarter at a time, so a
	// long text would copy its features about four times instead of once.
	if need := len(p) * (e.cfg.MaxN - e.cfg.MinN + 1); cap(dst)-len(dst) < need {
		dst = slices.Grow(dst, max(len(dst), need))
	}
	seed := e.cfg.Seed ^ kindChar
	for i := range p {
		// Start n-grams on UTF-8 boundaries only.
		if p[i]&0xC0 == 0x80 {
			continue
		}
		n := 0
		for j := i; j < len(p); {
			j++
			for j < len(p) && p[j]&0xC0 == 0x80 {
				j++
			}
			n++
			if n < e.cfg.MinN {
				continue
			}
			if n > e.cfg.MaxN || j-i == len(p) && n > 1 && e.cfg.WordNgrams > 0 && i == 0 {
				// The whole padded word is the word feature already.
				break
			}
			// xxhash's output is well mixed already: one multiply folds in
			// the seed, where the full finaliser cost a fifth of scoring.
			h := (xxhash.Sum64(p[i:j]) ^ seed) * 0x9e3779b97f4a7c15
			dst = append(dst, Feature{Bucket: uint32(h>>32) & e.mask, Tok: tok, TokEnd: tok + 1})
		}
	}
	return dst
}
