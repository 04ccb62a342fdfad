package http_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// memStore is an in-memory forewarn.Store for tests of the HTTP layer.
type memStore struct {
	mu        sync.Mutex
	posts     map[string]*forewarn.Post
	comments  map[string]*forewarn.Comment
	order     []string
	idem      map[forewarn.IdempotencyKey]string
	keys      map[string]*forewarn.Key
	audit     map[string][]forewarn.AuditEntry
	failPost  error // returned by Post when set, to test internal errors
	failReady error // returned by Ready
	// depthReads counts QueueDepth calls.
	depthReads int
}

func newMemStore() *memStore {
	return &memStore{
		posts: map[string]*forewarn.Post{}, comments: map[string]*forewarn.Comment{},
		idem: map[forewarn.IdempotencyKey]string{}, keys: map[string]*forewarn.Key{}, audit: map[string][]forewarn.AuditEntry{},
	}
}

func (s *memStore) CreatePost(_ context.Context, p *forewarn.Post) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.posts[p.ID]; ok {
		return fmt.Errorf("post %s: %w", p.ID, forewarn.ErrConflict)
	}
	cp := *p
	s.posts[p.ID] = &cp
	return nil
}

func (s *memStore) Post(_ context.Context, id string) (*forewarn.Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failPost != nil {
		return nil, s.failPost
	}
	p, ok := s.posts[id]
	if !ok {
		return nil, forewarn.ErrNotFound
	}
	cp := *p
	return &cp, nil
}

func (s *memStore) CreateComment(_ context.Context, c *forewarn.Comment, idemKey forewarn.IdempotencyKey) (*forewarn.Comment, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.idem[idemKey]; ok && !idemKey.IsZero() {
		cp := *s.comments[id]
		return &cp, true, nil
	}
	cp := *c
	s.comments[c.ID] = &cp
	s.order = append(s.order, c.ID)
	if !idemKey.IsZero() {
		s.idem[idemKey] = c.ID
	}
	out := cp
	return &out, false, nil
}

func (s *memStore) Comment(_ context.Context, id string) (*forewarn.Comment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.comments[id]
	if !ok {
		return nil, forewarn.ErrNotFound
	}
	cp := *c
	return &cp, nil
}

func waiting(st forewarn.Status) bool {
	return st == forewarn.StatusHeld || st == forewarn.StatusSupport
}

func (s *memStore) Queue(_ context.Context, f forewarn.QueueFilter) ([]*forewarn.Comment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*forewarn.Comment
	for _, id := range s.order {
		c := s.comments[id]
		if !waiting(c.Status) || f.Status != "" && c.Status != f.Status || f.PostID != "" && c.PostID != f.PostID {
			continue
		}
		cp := *c
		out = append(out, &cp)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

func (s *memStore) Decide(_ context.Context, id string, e forewarn.AuditEntry) (*forewarn.Comment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.comments[id]
	if !ok {
		return nil, forewarn.ErrNotFound
	}
	if !waiting(c.Status) {
		return nil, forewarn.ErrConflict
	}
	e.From = c.Status
	c.Status = e.To
	c.UpdatedAt = e.At
	s.audit[id] = append(s.audit[id], e)
	cp := *c
	return &cp, nil
}

func (s *memStore) Claim(ctx context.Context, f forewarn.QueueFilter, _ string, _ time.Time) ([]*forewarn.Comment, error) {
	return s.Queue(ctx, f)
}

func (s *memStore) Audit(_ context.Context, id string) ([]forewarn.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]forewarn.AuditEntry(nil), s.audit[id]...), nil
}

func (s *memStore) QueueDepth(context.Context) (map[forewarn.Status]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.depthReads++
	m := map[forewarn.Status]int{}
	for _, c := range s.comments {
		if waiting(c.Status) {
			m[c.Status]++
		}
	}
	return m, nil
}

func (s *memStore) CreateKey(_ context.Context, k *forewarn.Key, hash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.keys {
		if k.ID != "" && o.ID == k.ID {
			return forewarn.ErrConflict // as the stores answer a key id taken
		}
	}
	cp := *k
	s.keys[hex.EncodeToString(hash)] = &cp
	return nil
}

func (s *memStore) KeyByHash(_ context.Context, hash []byte) (*forewarn.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[hex.EncodeToString(hash)]
	if !ok || k.RevokedAt != nil {
		return nil, forewarn.ErrNotFound
	}
	cp := *k
	return &cp, nil
}

func (s *memStore) Keys(context.Context) ([]forewarn.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []forewarn.Key{}
	for _, k := range s.keys {
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *memStore) RevokeKey(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.ID == id {
			if k.RevokedAt == nil {
				at := time.Now()
				k.RevokedAt = &at
			}
			return nil
		}
	}
	return forewarn.ErrNotFound
}

func (s *memStore) Ready(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failReady
}

func (s *memStore) Close() error { return nil }

// fakeDetector finds topics by keyword.
type fakeDetector struct{}

var fakeTopics = map[string]string{"funeral": "grief", "miscarriage": "pregnancy-loss", "election": "politics"}

func (fakeDetector) Warn(text, style string) (forewarn.Warning, error) {
	if style != "" && style != "plain" {
		return forewarn.Warning{}, fmt.Errorf("style %q: %w", style, forewarn.ErrInvalid)
	}
	var w forewarn.Warning
	lower := strings.ToLower(text)
	var names []string
	for word, id := range fakeTopics {
		if i := strings.Index(lower, word); i >= 0 {
			w.Topics = append(w.Topics, forewarn.Topic{ID: id, Name: id, Score: 0.9, Prominence: forewarn.Mention,
				Evidence: []forewarn.TopicEvidence{{Start: i, End: i + len(word), SentenceStart: 0, SentenceEnd: len(text)}}})
			names = append(names, id)
		}
	}
	sort.Strings(names)
	sort.Slice(w.Topics, func(i, j int) bool { return w.Topics[i].ID < w.Topics[j].ID })
	if len(names) > 0 {
		w.Line = "Content warning: " + strings.Join(names, ", ") + "."
	}
	return w, nil
}

// fakeModerator decides by phrase, with the post's sensitivity as context.
type fakeModerator struct{}

const supportText = "If you are thinking about hurting yourself, you can talk to someone today."

func (fakeModerator) Decide(post *forewarn.Post, text string) forewarn.Verdict {
	lower := strings.ToLower(text)
	span := func(phrase, label string) []forewarn.Evidence {
		var ev []forewarn.Evidence
		for i := 0; ; {
			j := strings.Index(lower[i:], phrase)
			if j < 0 {
				return ev
			}
			ev = append(ev, forewarn.Evidence{Label: label, Start: i + j, End: i + j + len(phrase)})
			i += j + len(phrase)
		}
	}
	switch {
	case strings.Contains(lower, "hurt myself"):
		return forewarn.Verdict{Decision: forewarn.Support, Scores: map[string]float64{"self-harm": 0.9}, Reasons: []string{"self-harm risk"}, Evidence: span("hurt myself", "self-harm"), Support: supportText}
	case strings.Contains(lower, "idiot"):
		return forewarn.Verdict{Decision: forewarn.Hold, Scores: map[string]float64{"insult": 0.9}, Reasons: []string{"insult"}, Evidence: span("idiot", "insult")}
	case post != nil && post.Sensitive && strings.Contains(lower, "attention seeker") && !strings.Contains(lower, "not an attention seeker"):
		return forewarn.Verdict{Decision: forewarn.Hold, Scores: map[string]float64{"hostile": 0.8}, Reasons: []string{"hostile to the poster on a sensitive post"}, Evidence: span("attention seeker", "hostile")}
	}
	return forewarn.Verdict{Decision: forewarn.Publish, Scores: map[string]float64{"insult": 0.01}}
}

// Sensitive treats the fake detector's painful topics as sensitive, and
// politics as not.
func (fakeModerator) Sensitive(topics []forewarn.Topic) bool {
	for _, t := range topics {
		if t.ID == "grief" || t.ID == "pregnancy-loss" {
			return true
		}
	}
	return false
}

func (m fakeModerator) Nudge(post *forewarn.Post, text string) forewarn.Nudge {
	v := m.Decide(post, text)
	switch v.Decision {
	case forewarn.Hold:
		return forewarn.Nudge{Nudge: true, Message: "This may hurt someone. Would you like to rephrase?", Evidence: v.Evidence}
	case forewarn.Support:
		return forewarn.Nudge{Nudge: true, Message: "It sounds like you are going through a lot.", Evidence: v.Evidence, Support: v.Support}
	}
	return forewarn.Nudge{}
}
