package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// Limits on the short fields of requests.
const (
	maxIDLen     = 128
	maxAuthorLen = 200
	maxIdemLen   = 255
	maxNoteLen   = 2000
	maxQueue     = 500
	defaultQueue = 50
)

// validID reports whether s may be a post or comment ID: 1 to 128 ASCII
// letters, digits, dots, dashes and underscores.
func validID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// newID returns a random ID with a prefix that says what it names.
func (s *Server) newID(prefix string) (string, error) {
	return forewarn.NewID(s.cfg.Rand, prefix)
}

// text checks a required text field. The body is valid UTF-8, but a JSON
// escape can still put a NUL in it, which no store keeps.
func text(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return invalid("%s is empty", field)
	}
	if strings.IndexByte(v, 0) >= 0 {
		return invalid("%s contains a NUL character", field)
	}
	return nil
}

// commentText checks the text of a comment or a draft: required, and no
// longer than the server's maximum.
func (s *Server) commentText(v string) error {
	if err := text("text", v); err != nil {
		return err
	}
	if len(v) > s.cfg.MaxTextLen {
		return tooLarge("text is %d bytes, longer than this server's maximum of %d bytes for a comment", len(v), s.cfg.MaxTextLen)
	}
	return nil
}

func (s *Server) healthz(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	s.writeJSON(w, nethttp.StatusOK, struct {
		Status string `json:"status"`
	}{"ok"})
	return nil
}

// version answers which build is running; it needs no key, like healthz.
func (s *Server) version(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	s.writeJSON(w, nethttp.StatusOK, forewarn.BuildVersion())
	return nil
}

// support answers the support text and crisis line that a commenter at
// risk is shown, so that a site's own pages show the same words.
func (s *Server) support(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	s.writeJSON(w, nethttp.StatusOK, s.cfg.Support)
	return nil
}

type warningRequest struct {
	Text  string `json:"text"`
	Style string `json:"style"`
}

type warningResponse struct {
	Line      string           `json:"line"`
	Topics    []forewarn.Topic `json:"topics"`
	Sensitive bool             `json:"sensitive"`
}

func (s *Server) createWarning(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	var req warningRequest
	if err := s.decode(r, &req); err != nil {
		return err
	}
	if err := text("text", req.Text); err != nil {
		return err
	}
	wn, err := s.warn(r, req.Text, req.Style)
	if err != nil {
		return err
	}
	s.writeJSON(w, nethttp.StatusOK, warningResponse{Line: wn.Line, Topics: forewarn.ShownTopics(wn.Topics), Sensitive: s.sensitive(wn.Topics)})
	return nil
}

type postRequest struct {
	Text string `json:"text"`
	ID   string `json:"id"`
}

type postResponse struct {
	ID        string           `json:"id"`
	Line      string           `json:"line"`
	Topics    []forewarn.Topic `json:"topics"`
	Sensitive bool             `json:"sensitive"`
}

func (s *Server) createPost(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	var req postRequest
	if err := s.decode(r, &req); err != nil {
		return err
	}
	if err := text("text", req.Text); err != nil {
		return err
	}
	if req.ID != "" && !validID(req.ID) {
		return invalid("id must be 1 to %d letters, digits, '.', '-' or '_'", maxIDLen)
	}
	wn, err := s.warn(r, req.Text, "")
	if err != nil {
		return err
	}
	p := &forewarn.Post{ID: req.ID, Text: req.Text, Line: wn.Line, Topics: forewarn.ShownTopics(wn.Topics), Sensitive: s.sensitive(wn.Topics), CreatedAt: s.now()}
	if p.ID == "" {
		if p.ID, err = s.newID("p_"); err != nil {
			return err
		}
	}
	if err := s.cfg.Store.CreatePost(r.Context(), p); err != nil {
		if errors.Is(err, forewarn.ErrConflict) {
			return &clientError{forewarn.ErrConflict, fmt.Sprintf("post id %q is taken", p.ID)}
		}
		return fmt.Errorf("create post: %w", err)
	}
	s.posts.put(p)
	s.writeJSON(w, nethttp.StatusCreated, postResponse{ID: p.ID, Line: p.Line, Topics: p.Topics, Sensitive: p.Sensitive})
	return nil
}

// post returns a post from the cache or the store.
func (s *Server) post(r *nethttp.Request, id string) (*forewarn.Post, error) {
	if !validID(id) {
		return nil, notFound("no post %q", id)
	}
	if p := s.posts.get(id); p != nil {
		return p, nil
	}
	p, err := s.cfg.Store.Post(r.Context(), id)
	if errors.Is(err, forewarn.ErrNotFound) {
		return nil, notFound("no post %q", id)
	} else if err != nil {
		return nil, fmt.Errorf("read post: %w", err)
	}
	s.posts.put(p)
	return p, nil
}

// postCache keeps recently used posts, dropping them all when full; a
// handful of live posts take nearly all comments. A post edited or deleted
// through this server leaves the cache at once; one changed through another
// instance sharing the database is seen within postCacheTTL.
type postCache struct {
	mu  sync.RWMutex
	m   map[string]cachedPost
	max int
	now func() time.Time
}

// postCacheTTL bounds how stale a post cached by one instance can be after
// another instance edits it: the same time as a cached API key
// (DefaultKeyCacheTTL), so that the two kinds of change reach every
// instance together.
const postCacheTTL = DefaultKeyCacheTTL

type cachedPost struct {
	p  *forewarn.Post
	at time.Time
}

func newPostCache(max int, now func() time.Time) *postCache {
	return &postCache{m: make(map[string]cachedPost), max: max, now: now}
}

func (c *postCache) get(id string) *forewarn.Post {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.m[id]
	if !ok || c.now().Sub(e.at) > postCacheTTL {
		return nil
	}
	return e.p
}

func (c *postCache) put(p *forewarn.Post) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[p.ID] = cachedPost{p, c.now()}
}

func (c *postCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

type commentRequest struct {
	Text   string `json:"text"`
	Author string `json:"author"`
}

// commentResponse is what the commenter's site learns about a new comment.
type commentResponse struct {
	ID       string              `json:"id"`
	Post     string              `json:"post"`
	Decision forewarn.Decision   `json:"decision"`
	Status   forewarn.Status     `json:"status"`
	Reasons  []string            `json:"reasons"`
	Evidence []forewarn.Evidence `json:"evidence"`
	Support  string              `json:"support,omitempty"`
}

// idempotencyKey returns the request's Idempotency-Key header, checked.
func idempotencyKey(r *nethttp.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", invalid("send an Idempotency-Key header so that a retry cannot post twice")
	}
	if len(k) > maxIdemLen {
		return "", invalid("Idempotency-Key is longer than %d bytes", maxIdemLen)
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return "", invalid("Idempotency-Key must be printable ASCII without spaces")
		}
	}
	return k, nil
}

func (s *Server) createComment(w nethttp.ResponseWriter, r *nethttp.Request, key *forewarn.Key) error {
	postID := r.PathValue("post")
	idem, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	var req commentRequest
	if err := s.decode(r, &req); err != nil {
		return err
	}
	if err := s.commentText(req.Text); err != nil {
		return err
	}
	if err := text("author", req.Author); err != nil {
		return err
	}
	if len(req.Author) > maxAuthorLen {
		return invalid("author is longer than %d bytes", maxAuthorLen)
	}
	p, err := s.post(r, postID)
	if err != nil {
		return err
	}
	// A client that gave up, or a request past its deadline, stops
	// scoring and stores nothing: the client cannot learn the decision and
	// will retry.
	v, err := s.verdict(r, p, req.Text)
	if err != nil {
		return err
	}
	v.Evidence = forewarn.MergeEvidence(v.Evidence, forewarn.MaxEvidence)
	id, err := s.newID("c_")
	if err != nil {
		return err
	}
	now := s.now()
	c := &forewarn.Comment{
		ID: id, PostID: p.ID, Author: req.Author, Text: req.Text,
		Decision: v.Decision, Status: forewarn.StatusFor(v.Decision),
		Scores: v.Scores, Reasons: v.Reasons, Evidence: v.Evidence,
		CreatedAt: now, UpdatedAt: now,
	}
	// Scope idempotency keys to the API key so that two publishers cannot
	// collide or read each other's comments by guessing keys.
	stored, existed, err := s.cfg.Intake.CreateComment(r.Context(), c, forewarn.IdempotencyKey{KeyID: key.ID, Key: idem})
	if err != nil {
		return fmt.Errorf("create comment: %w", err)
	}
	status := nethttp.StatusCreated
	if existed {
		if stored.PostID != p.ID || stored.Text != req.Text || stored.Author != req.Author {
			return &clientError{forewarn.ErrConflict, fmt.Sprintf("Idempotency-Key %q was used for a different comment", idem)}
		}
		status = nethttp.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	} else {
		s.metrics.decisions.WithLabelValues(string(stored.Decision)).Inc()
	}
	resp := commentResponse{
		ID: stored.ID, Post: stored.PostID, Decision: stored.Decision, Status: stored.Status,
		Reasons: stored.Reasons, Evidence: stored.Evidence,
	}
	if resp.Reasons == nil {
		resp.Reasons = []string{}
	}
	if resp.Evidence == nil {
		resp.Evidence = []forewarn.Evidence{}
	}
	if stored.Decision == forewarn.Support {
		resp.Support = v.Support
	}
	s.writeJSON(w, status, resp)
	return nil
}

type nudgeRequest struct {
	Text string `json:"text"`
	Post string `json:"post"`
}

func (s *Server) nudge(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	var req nudgeRequest
	if err := s.decode(r, &req); err != nil {
		return err
	}
	if err := s.commentText(req.Text); err != nil {
		return err
	}
	var p *forewarn.Post
	if req.Post != "" {
		var err error
		if p, err = s.post(r, req.Post); err != nil {
			return err
		}
	}
	n, err := s.nudgeDraft(r, p, req.Text)
	if err != nil {
		return err
	}
	n.Evidence = forewarn.MergeEvidence(n.Evidence, forewarn.MaxEvidence)
	if n.Evidence == nil {
		n.Evidence = []forewarn.Evidence{}
	}
	s.writeJSON(w, nethttp.StatusOK, n)
	return nil
}

type queueResponse struct {
	Comments []json.RawMessage `json:"comments"`
	// More says that comments were left out to keep the reply within the
	// server's size limit; the moderator sees them once these are decided.
	More bool `json:"more,omitempty"`
}

func (s *Server) queue(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	f := forewarn.QueueFilter{Limit: defaultQueue}
	err := parseQuery(r, &f.Limit, map[string]func(string) error{
		"status": func(v string) error {
			switch st := forewarn.Status(v); st {
			case forewarn.StatusHeld, forewarn.StatusSupport:
				f.Status = st
				return nil
			}
			return invalid("status must be held or support")
		},
		"post": func(v string) error {
			f.PostID = v
			if !validID(v) {
				return invalid("post is not a valid post id")
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	cs, err := s.supportFirst(r.Context(), f)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	resp, err := capComments(cs, s.cfg.QueueBytes)
	if err != nil {
		return err
	}
	s.writeJSON(w, nethttp.StatusOK, resp)
	return nil
}

// supportFirst lists the queue for f with, when f asks for both statuses,
// every support comment before the held ones: a person who may be at risk
// comes before the trolls, oldest first within each.
func (s *Server) supportFirst(ctx context.Context, f forewarn.QueueFilter) ([]*forewarn.Comment, error) {
	if f.Status != "" {
		return s.cfg.Store.Queue(ctx, f)
	}
	f.Status = forewarn.StatusSupport
	cs, err := s.cfg.Store.Queue(ctx, f)
	if err != nil || len(cs) >= f.Limit {
		return cs, err
	}
	f.Status, f.Limit = forewarn.StatusHeld, f.Limit-len(cs)
	held, err := s.cfg.Store.Queue(ctx, f)
	return append(cs, held...), err
}

// capComments encodes comments in order while they fit in limit bytes;
// the first always goes, so that a moderator can work through the queue.
func capComments(cs []*forewarn.Comment, limit int) (queueResponse, error) {
	resp := queueResponse{Comments: make([]json.RawMessage, 0, len(cs))}
	size := 0
	for i, c := range cs {
		c.Shown()
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(c); err != nil {
			return resp, fmt.Errorf("encode comment: %w", err)
		}
		b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if i > 0 && size+len(b) > limit {
			resp.More = true
			break
		}
		size += len(b) + 1
		resp.Comments = append(resp.Comments, b)
	}
	return resp, nil
}

type decisionRequest struct {
	Action forewarn.Action `json:"action"`
	Note   string          `json:"note"`
}

func (s *Server) decide(w nethttp.ResponseWriter, r *nethttp.Request, key *forewarn.Key) error {
	id := r.PathValue("id")
	var req decisionRequest
	if err := s.decode(r, &req); err != nil {
		return err
	}
	to, err := req.Action.Status()
	if err != nil {
		return err
	}
	if len(req.Note) > maxNoteLen {
		return invalid("note is longer than %d bytes", maxNoteLen)
	}
	if !validID(id) {
		return notFound("no comment %q", id)
	}
	c, err := s.cfg.Store.Decide(r.Context(), id, forewarn.AuditEntry{
		CommentID: id, Actor: key.ID, Action: req.Action, Note: req.Note, To: to, At: s.now(),
	})
	switch {
	case errors.Is(err, forewarn.ErrNotFound):
		return notFound("no comment %q", id)
	case errors.Is(err, forewarn.ErrConflict):
		return &clientError{forewarn.ErrConflict, fmt.Sprintf("comment %q does not wait for %s", id, req.Action)}
	case err != nil:
		return fmt.Errorf("decide: %w", err)
	}
	s.metrics.actions.WithLabelValues(string(req.Action)).Inc()
	c.Shown()
	s.writeJSON(w, nethttp.StatusOK, c)
	return nil
}
