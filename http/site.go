package http

import (
	"errors"
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/forewarn/forewarn"
)

// byMethod serves one path with a route per method; another method gets
// 405 with Allow naming them all.
func (s *Server) byMethod(rs ...*route) nethttp.Handler {
	m := map[string]*route{}
	var allow []string
	for _, rt := range rs {
		m[rt.method] = rt
		allow = append(allow, rt.method)
	}
	slices.Sort(allow)
	other := &route{s: s, name: rs[0].name, h: func(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return fmt.Errorf("%w: use %s", errMethod, strings.Join(allow, " or "))
	}}
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		method := r.Method
		if method == nethttp.MethodHead {
			method = nethttp.MethodGet
		}
		if rt, ok := m[method]; ok {
			rt.ServeHTTP(w, r)
			return
		}
		other.ServeHTTP(w, r)
	})
}

// postStore returns the store's post editing and listing, which the sqlite
// and postgres stores have.
func (s *Server) postStore() (forewarn.PostStore, error) {
	ps, ok := s.cfg.Store.(forewarn.PostStore)
	if !ok {
		return nil, fmt.Errorf("%w: this store cannot edit or list posts", forewarn.ErrNotFound)
	}
	return ps, nil
}

// webhookStore returns the store's webhooks and outbox.
func (s *Server) webhookStore() (forewarn.WebhookStore, error) {
	ws, ok := s.cfg.Store.(forewarn.WebhookStore)
	if !ok {
		return nil, fmt.Errorf("%w: this store keeps no webhooks", forewarn.ErrNotFound)
	}
	return ws, nil
}

// viewPost returns a copy of p as the API shows it: scores rounded, empty
// lists rather than null.
func viewPost(p *forewarn.Post) *forewarn.Post {
	cp := *p
	cp.Topics = forewarn.ShownTopics(slices.Clone(p.Topics))
	return &cp
}

func (s *Server) getPost(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	p, err := s.post(r, r.PathValue("post"))
	if err != nil {
		return err
	}
	s.writeJSON(w, nethttp.StatusOK, viewPost(p))
	return nil
}

type postUpdate struct {
	Text string `json:"text"`
}

// updatePost replaces a post's text and detects its topics again; the
// comments already decided keep their decisions.
func (s *Server) updatePost(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	ps, err := s.postStore()
	if err != nil {
		return err
	}
	id := r.PathValue("post")
	var req postUpdate
	if err := s.decode(r, &req); err != nil {
		return err
	}
	if err := text("text", req.Text); err != nil {
		return err
	}
	if !validID(id) {
		return fmt.Errorf("post %q: %w", id, forewarn.ErrNotFound)
	}
	old, err := s.post(r, id)
	if err != nil {
		return err
	}
	wn, err := s.warn(r, req.Text, "")
	if err != nil {
		return err
	}
	p := &forewarn.Post{ID: id, Text: req.Text, Line: wn.Line, Topics: forewarn.ShownTopics(wn.Topics), Sensitive: s.sensitive(wn.Topics), CreatedAt: old.CreatedAt}
	if err := ps.UpdatePost(r.Context(), p); err != nil {
		return fmt.Errorf("update post %s: %w", id, err)
	}
	s.posts.drop(id)
	s.writeJSON(w, nethttp.StatusOK, viewPost(p))
	return nil
}

func (s *Server) deletePost(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	ps, err := s.postStore()
	if err != nil {
		return err
	}
	return s.deleteByID(w, r, "post", func(id string) error {
		err := ps.DeletePost(r.Context(), id)
		s.posts.drop(id)
		return err
	})
}

// deleteByID deletes what the path parameter param names with del and
// answers 204.
func (s *Server) deleteByID(w nethttp.ResponseWriter, r *nethttp.Request, param string, del func(id string) error) error {
	id := r.PathValue(param)
	if !validID(id) {
		return fmt.Errorf("%s %q: %w", param, id, forewarn.ErrNotFound)
	}
	if err := del(id); err != nil {
		return fmt.Errorf("delete %s %s: %w", param, id, err)
	}
	w.WriteHeader(nethttp.StatusNoContent)
	return nil
}

// listStatuses maps the status a listing asks for to the stored statuses it
// covers: "published" is every comment readers see, published at once or
// approved by a moderator.
var listStatuses = map[string][]forewarn.Status{
	"published": {forewarn.StatusPublished, forewarn.StatusApproved},
	"held":      {forewarn.StatusHeld},
	"support":   {forewarn.StatusSupport},
	"rejected":  {forewarn.StatusRejected},
	"resolved":  {forewarn.StatusResolved},
}

type commentPage struct {
	Comments []*forewarn.Comment `json:"comments"`
	// Next is the cursor of the next page, empty on the last page.
	Next string `json:"next"`
}

// listComments pages through a post's comments with one status. A
// publisher may list published comments, to render the thread; the other
// statuses hold what readers must not see and need a moderator key.
func (s *Server) listComments(w nethttp.ResponseWriter, r *nethttp.Request, key *forewarn.Key) error {
	ps, err := s.postStore()
	if err != nil {
		return err
	}
	f := forewarn.CommentFilter{Limit: defaultQueue}
	status := "published"
	err = parseQuery(r, &f.Limit, map[string]func(string) error{
		"status": func(v string) error { status = v; return nil },
		"cursor": func(v string) error { f.After = v; return nil },
	})
	if err != nil {
		return err
	}
	statuses, ok := listStatuses[status]
	if !ok {
		return invalid("status must be published, held, support, rejected or resolved")
	}
	if status != "published" && !key.Role.Allows(forewarn.RoleModerator) {
		return fmt.Errorf("%w: listing %s comments needs a moderator key", forewarn.ErrForbidden, status)
	}
	p, err := s.post(r, r.PathValue("post"))
	if err != nil {
		return err
	}
	f.PostID, f.Statuses = p.ID, statuses
	cs, next, err := ps.PostComments(r.Context(), f)
	if err != nil {
		return fmt.Errorf("list comments: %w", err)
	}
	for _, c := range cs {
		c.Shown()
	}
	s.writeJSON(w, nethttp.StatusOK, commentPage{Comments: cs, Next: next})
	return nil
}

func (s *Server) getComment(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	id := r.PathValue("id")
	if !validID(id) {
		return fmt.Errorf("comment %q: %w", id, forewarn.ErrNotFound)
	}
	c, err := s.cfg.Store.Comment(r.Context(), id)
	if err != nil {
		return fmt.Errorf("comment %s: %w", id, err)
	}
	s.writeJSON(w, nethttp.StatusOK, c.Shown())
	return nil
}

type auditResponse struct {
	Entries []forewarn.AuditEntry `json:"entries"`
}

// audit answers a comment's audit trail: every moderator decision and
// support action, oldest first.
func (s *Server) audit(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	id := r.PathValue("id")
	if !validID(id) {
		return fmt.Errorf("comment %q: %w", id, forewarn.ErrNotFound)
	}
	if _, err := s.cfg.Store.Comment(r.Context(), id); err != nil {
		return fmt.Errorf("comment %s: %w", id, err)
	}
	es, err := s.cfg.Store.Audit(r.Context(), id)
	if err != nil {
		return fmt.Errorf("audit %s: %w", id, err)
	}
	if es == nil {
		es = []forewarn.AuditEntry{}
	}
	s.writeJSON(w, nethttp.StatusOK, auditResponse{Entries: es})
	return nil
}

type webhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// webhookCreated shows the signing secret, once.
type webhookCreated struct {
	*forewarn.Webhook
	Secret string `json:"secret"`
}

func (s *Server) createWebhook(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	ws, err := s.webhookStore()
	if err != nil {
		return err
	}
	var req webhookRequest
	if err := s.decode(r, &req); err != nil {
		return err
	}
	events, err := forewarn.ParseEventTypes(req.Events)
	if err != nil {
		return err
	}
	h := &forewarn.Webhook{URL: req.URL, Events: events}
	if err := ws.CreateWebhook(r.Context(), h); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	s.writeJSON(w, nethttp.StatusCreated, webhookCreated{Webhook: h, Secret: h.Secret})
	return nil
}

type webhookList struct {
	Webhooks []*forewarn.Webhook `json:"webhooks"`
}

func (s *Server) listWebhooks(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	ws, err := s.webhookStore()
	if err != nil {
		return err
	}
	hs, err := ws.Webhooks(r.Context())
	if err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	s.writeJSON(w, nethttp.StatusOK, webhookList{Webhooks: hs})
	return nil
}

func (s *Server) deleteWebhook(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	ws, err := s.webhookStore()
	if err != nil {
		return err
	}
	return s.deleteByID(w, r, "id", func(id string) error { return ws.DeleteWebhook(r.Context(), id) })
}

type deliveryList struct {
	Deliveries []*forewarn.Delivery `json:"deliveries"`
}

// deliveries answers the delivery log, newest first, so that a moderator
// can see that the site heard about each decision.
func (s *Server) deliveries(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	ws, err := s.webhookStore()
	if err != nil {
		return err
	}
	var f forewarn.DeliveryFilter
	err = parseQuery(r, &f.Limit, map[string]func(string) error{
		"state":   func(v string) error { f.State = forewarn.DeliveryState(v); return nil },
		"webhook": func(v string) error { f.WebhookID = v; return nil },
	})
	if err != nil {
		return err
	}
	ds, err := ws.Deliveries(r.Context(), f)
	if err != nil {
		if errors.Is(err, forewarn.ErrInvalid) {
			return invalid("state must be pending, delivered or failed")
		}
		return fmt.Errorf("deliveries: %w", err)
	}
	s.writeJSON(w, nethttp.StatusOK, deliveryList{Deliveries: ds})
	return nil
}

// openAPI serves the API description, the same openapi.yaml the tests
// check every exchange against.
func (s *Server) openAPI(w nethttp.ResponseWriter, r *nethttp.Request, _ *forewarn.Key) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(forewarn.OpenAPI)
	return nil
}

// parseQuery reads the query parameters of r: "limit" into limit (see
// queryLimit) and each other name by its function in params, refusing a
// malformed query, a parameter given twice and an unknown name.
// query string and a parameter given twice.
func parseQuery(r *nethttp.Request, limit *int, params map[string]func(v string) error) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return invalid("the query string is malformed")
	}
	for name, vals := range q {
		if len(vals) != 1 {
			return invalid("query parameter %q is given %d times", name, len(vals))
		}
		fn, ok := params[name]
		switch {
		case name == "limit":
			*limit, err = queryLimit(vals[0])
		case ok:
			err = fn(vals[0])
		default:
			err = invalid("unknown query parameter %q", name)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// queryLimit parses a limit parameter.
func queryLimit(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxQueue {
		return 0, invalid("limit must be a whole number from 1 to %d", maxQueue)
	}
	return n, nil
}
