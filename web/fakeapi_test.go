package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
)

// fakeAPI stands in for the HTTP API so that the pages can be tested on
// their own. It answers with the real domain types and finds its evidence
// with byte offsets, as the real API does, by looking for a few phrases.
type fakeAPI struct {
	key string

	mu        sync.Mutex
	posts     map[string]*forewarn.Post
	comments  []*forewarn.Comment
	idem      map[string]*forewarn.Comment
	decisions []fakeDecision
	seq       int
	now       time.Time
}

type fakeDecision struct {
	ID, Action, Note string
	At               time.Time
}

func newFakeAPI(key string) *fakeAPI {
	return &fakeAPI{
		key:   key,
		posts: map[string]*forewarn.Post{},
		idem:  map[string]*forewarn.Comment{},
		now:   time.Date(2025, 4, 2, 9, 30, 0, 0, time.UTC),
	}
}

// Words and phrases the fake reacts to.
var (
	griefWords   = []string{"died", "funeral", "grief", "passed away", "lost"}
	hostileWords = []string{"attention seeker", "get over it", "your own fault", "pathetic"}
	riskWords    = []string{"want to die", "end it all", "no reason to live"}
)

const (
	nudgeMessage = "This may hurt someone who is grieving. Edit it, or post anyway?"
	supportText  = "You matter. If you are thinking about ending your life, please talk to someone today."
)

// find returns the byte spans of every occurrence of the phrases in text.
func find(text string, phrases []string, label string) []forewarn.Evidence {
	var out []forewarn.Evidence
	for _, p := range phrases {
		for off := 0; ; {
			i := strings.Index(text[off:], p)
			if i < 0 {
				break
			}
			out = append(out, forewarn.Evidence{Label: label, Start: off + i, End: off + i + len(p)})
			off += i + len(p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func (f *fakeAPI) warn(text, style string) (forewarn.Warning, error) {
	ev := find(text, griefWords, "")
	if len(ev) == 0 {
		return forewarn.Warning{Topics: []forewarn.Topic{}}, nil
	}
	lines := map[string]string{
		"":     "Content warning: grief and the death of a parent.",
		"news": "Content warning: grief and the death of a parent.",
		"note": "A note before you read: this piece talks about grief and the death of a parent.",
		"tags": "CW: grief, death of a parent",
	}
	line, ok := lines[style]
	if !ok {
		return forewarn.Warning{}, fmt.Errorf("%w: unknown style %q", forewarn.ErrInvalid, style)
	}
	t := forewarn.Topic{ID: "grief", Name: "Grief", Score: 0.94, Prominence: forewarn.Discussion,
		Paragraph: strings.Count(text[:ev[0].Start], "\n\n")}
	if len(ev) == 1 {
		t.Prominence = forewarn.Mention
	}
	for _, e := range ev {
		s := strings.LastIndexAny(text[:e.Start], ".!?\n") + 1
		end := strings.IndexAny(text[e.End:], ".!?\n")
		if end < 0 {
			end = len(text)
		} else {
			end += e.End + 1
		}
		t.Evidence = append(t.Evidence, forewarn.TopicEvidence{Start: e.Start, End: e.End, SentenceStart: s, SentenceEnd: end})
	}
	return forewarn.Warning{Line: line, Topics: []forewarn.Topic{t}}, nil
}

func (f *fakeAPI) decide(text string) forewarn.Verdict {
	if ev := find(text, riskWords, "self_harm"); len(ev) > 0 {
		return forewarn.Verdict{Decision: forewarn.Support, Scores: map[string]float64{"self_harm": 0.91},
			Reasons: []string{"self_harm 0.91 ≥ 0.50"}, Evidence: ev, Support: supportText}
	}
	if ev := find(text, hostileWords, "insult"); len(ev) > 0 {
		return forewarn.Verdict{Decision: forewarn.Hold, Scores: map[string]float64{"insult": 0.83, "toxicity": 0.41},
			Reasons: []string{"insult 0.83 ≥ 0.35 on a sensitive post"}, Evidence: ev}
	}
	return forewarn.Verdict{Decision: forewarn.Publish, Scores: map[string]float64{"insult": 0.04}, Reasons: []string{}, Evidence: []forewarn.Evidence{}}
}

// add queues a comment as if it had been posted.
func (f *fakeAPI) add(post, author, text string) *forewarn.Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addLocked(post, author, text)
}

func (f *fakeAPI) addLocked(post, author, text string) *forewarn.Comment {
	v := f.decide(text)
	f.seq++
	f.now = f.now.Add(time.Minute)
	c := &forewarn.Comment{ID: fmt.Sprintf("c%03d", f.seq), PostID: post, Author: author, Text: text,
		Decision: v.Decision, Status: forewarn.StatusFor(v.Decision), Scores: v.Scores, Reasons: v.Reasons,
		Evidence: v.Evidence, CreatedAt: f.now, UpdatedAt: f.now}
	f.comments = append(f.comments, c)
	return c
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.key {
		fail(w, http.StatusUnauthorized, "unauthorized", "missing or unknown API key")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var in struct {
		Text, Style, ID, Post, Author, Action, Note string
	}
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			fail(w, http.StatusBadRequest, "bad_json", err.Error())
			return
		}
	}
	path := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == "POST" && r.URL.Path == "/v1/warnings":
		wr, err := f.warn(in.Text, in.Style)
		if err != nil {
			fail(w, http.StatusBadRequest, "invalid", err.Error())
			return
		}
		reply(w, 200, wr)
	case r.Method == "POST" && r.URL.Path == "/v1/posts":
		if _, ok := f.posts[in.ID]; ok {
			fail(w, http.StatusConflict, "conflict", "post "+in.ID+" exists")
			return
		}
		wr, _ := f.warn(in.Text, "")
		p := &forewarn.Post{ID: in.ID, Text: in.Text, Line: wr.Line, Topics: wr.Topics, Sensitive: len(wr.Topics) > 0, CreatedAt: f.now}
		f.posts[p.ID] = p
		reply(w, 201, p)
	case r.Method == "GET" && len(path) == 3 && path[1] == "posts":
		p, ok := f.posts[path[2]]
		if !ok {
			fail(w, 404, "not_found", "no such post")
			return
		}
		reply(w, 200, p)
	case r.Method == "GET" && len(path) == 4 && path[1] == "posts" && path[3] == "comments":
		// Published comments, a page at a time; the cursor is an index.
		if _, ok := f.posts[path[2]]; !ok {
			fail(w, 404, "not_found", "no such post")
			return
		}
		if st := r.URL.Query().Get("status"); st != "" && st != "published" {
			fail(w, 400, "invalid", "the fake lists published comments only")
			return
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		var all []*forewarn.Comment
		for _, c := range f.comments {
			if c.PostID == path[2] && (c.Status == forewarn.StatusPublished || c.Status == forewarn.StatusApproved) {
				all = append(all, c)
			}
		}
		page, next := all[min(start, len(all)):], ""
		if limit > 0 && len(page) > limit {
			page, next = page[:limit], strconv.Itoa(start+limit)
		}
		reply(w, 200, map[string]any{"comments": append([]*forewarn.Comment{}, page...), "next": next})
	case r.Method == "POST" && len(path) == 4 && path[1] == "posts" && path[3] == "comments":
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			fail(w, 400, "invalid", "Idempotency-Key is required")
			return
		}
		c, ok := f.idem[key]
		if !ok {
			c = f.addLocked(path[2], in.Author, in.Text)
			f.idem[key] = c
		}
		out := struct {
			ID       string              `json:"id"`
			Decision forewarn.Decision   `json:"decision"`
			Reasons  []string            `json:"reasons"`
			Evidence []forewarn.Evidence `json:"evidence"`
			Support  string              `json:"support,omitempty"`
		}{c.ID, c.Decision, c.Reasons, c.Evidence, ""}
		if c.Decision == forewarn.Support {
			out.Support = supportText
		}
		reply(w, 201, out)
	case r.Method == "GET" && r.URL.Path == "/v1/support":
		reply(w, 200, forewarn.SupportInfo{Text: supportText, Number: "a crisis line in your area"})
	case r.Method == "POST" && r.URL.Path == "/v1/nudge":
		v := f.decide(in.Text)
		n := forewarn.Nudge{Evidence: []forewarn.Evidence{}}
		switch v.Decision {
		case forewarn.Hold:
			n = forewarn.Nudge{Nudge: true, Message: nudgeMessage, Evidence: v.Evidence}
		case forewarn.Support:
			n = forewarn.Nudge{Nudge: true, Message: "It sounds like you are carrying a lot right now.", Evidence: v.Evidence, Support: supportText}
		}
		reply(w, 200, n)
	case r.Method == "GET" && r.URL.Path == "/v1/queue":
		want := forewarn.Status(r.URL.Query().Get("status"))
		out := []*forewarn.Comment{}
		for _, c := range f.comments {
			if (c.Status == forewarn.StatusHeld || c.Status == forewarn.StatusSupport) && (want == "" || c.Status == want) {
				out = append(out, c)
			}
		}
		reply(w, 200, map[string]any{"comments": out})
	case r.Method == "GET" && len(path) == 4 && path[1] == "comments" && path[3] == "audit":
		entries := []forewarn.AuditEntry{}
		for _, d := range f.decisions {
			if d.ID == path[2] {
				entries = append(entries, forewarn.AuditEntry{CommentID: d.ID, Actor: "k-test", Action: forewarn.Action(d.Action), Note: d.Note, At: d.At})
			}
		}
		reply(w, 200, map[string]any{"entries": entries})
	case r.Method == "POST" && len(path) == 4 && path[1] == "comments" && path[3] == "decision":
		for _, c := range f.comments {
			if c.ID != path[2] {
				continue
			}
			if c.Status != forewarn.StatusHeld && c.Status != forewarn.StatusSupport {
				fail(w, http.StatusConflict, "conflict", "already decided")
				return
			}
			to, ok := map[string]forewarn.Status{"approve": forewarn.StatusApproved, "reject": forewarn.StatusRejected,
				"reached-out": forewarn.StatusSupport, "escalated": forewarn.StatusSupport, "resolved": forewarn.StatusResolved}[in.Action]
			support := in.Action != "approve" && in.Action != "reject"
			if !ok || support && c.Status != forewarn.StatusSupport {
				fail(w, http.StatusBadRequest, "invalid", "action "+in.Action+" does not apply")
				return
			}
			c.Status = to
			f.now = f.now.Add(time.Minute)
			f.decisions = append(f.decisions, fakeDecision{c.ID, in.Action, in.Note, f.now})
			reply(w, 200, c)
			return
		}
		fail(w, 404, "not_found", "no such comment")
	default:
		fail(w, 404, "not_found", "no route")
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	reply(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func (f *fakeAPI) snapshot() (decisions []fakeDecision, idemKeys int, comments int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeDecision(nil), f.decisions...), len(f.idem), len(f.comments)
}
