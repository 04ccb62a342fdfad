package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
)

func postStore(t *testing.T, s forewarn.Store) forewarn.PostStore {
	ps, ok := s.(forewarn.PostStore)
	if !ok {
		t.Skipf("%T does not implement forewarn.PostStore", s)
	}
	return ps
}

func webhookStore(t *testing.T, s forewarn.Store) forewarn.WebhookStore {
	ws, ok := s.(forewarn.WebhookStore)
	if !ok {
		t.Skipf("%T does not implement forewarn.WebhookStore", s)
	}
	return ws
}

func testPostEdits(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	ps := postStore(t, s)
	p := &forewarn.Post{ID: "edit-me", Text: "first", Line: "", Topics: []forewarn.Topic{}}
	wantErr(t, "create", s.CreatePost(ctx, p), nil)
	c := mustCreate(t, s, comment("edit-me", "kept", forewarn.Publish))
	topics := []forewarn.Topic{{ID: "grief", Name: "grief", Score: 0.9, Prominence: forewarn.Discussion, Evidence: []forewarn.TopicEvidence{{Start: 1, End: 2, SentenceStart: 0, SentenceEnd: 3}}}}
	wantErr(t, "update", ps.UpdatePost(ctx, &forewarn.Post{ID: "edit-me", Text: "second", Line: "Warning: grief.", Topics: topics, Sensitive: true}), nil)
	got, err := s.Post(ctx, "edit-me")
	wantErr(t, "read", err, nil)
	if got.Text != "second" || got.Line != "Warning: grief." || !got.Sensitive || len(got.Topics) != 1 || got.Topics[0].ID != "grief" || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("after update: %+v", got)
	}
	wantErr(t, "update missing", ps.UpdatePost(ctx, &forewarn.Post{ID: "nope", Text: "x"}), forewarn.ErrNotFound)
	wantErr(t, "delete", ps.DeletePost(ctx, "edit-me"), nil)
	_, err = s.Post(ctx, "edit-me")
	wantErr(t, "read deleted", err, forewarn.ErrNotFound)
	wantErr(t, "delete again", ps.DeletePost(ctx, "edit-me"), forewarn.ErrNotFound)
	if _, err := s.Comment(ctx, c.ID); err != nil {
		t.Errorf("comment of a deleted post: %v, want it kept", err)
	}
}

func testPostComments(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	ps := postStore(t, s)
	// Seven published comments, some in the same microsecond, two held and
	// one on another post.
	at := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	var want []string
	for i := range 7 {
		c := comment("listed", fmt.Sprint("published ", i), forewarn.Publish)
		c.CreatedAt = at.Add(time.Duration(i/2) * time.Microsecond)
		want = append(want, mustCreate(t, s, c).ID)
	}
	held := mustCreate(t, s, comment("listed", "held", forewarn.Hold))
	mustCreate(t, s, comment("listed", "support", forewarn.Support))
	mustCreate(t, s, comment("other", "elsewhere", forewarn.Publish))
	// The listing's order is creation time, then id: checked pairwise below.
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		page, next, err := ps.PostComments(ctx, forewarn.CommentFilter{PostID: "listed", Statuses: []forewarn.Status{forewarn.StatusPublished, forewarn.StatusApproved}, After: after, Limit: 3})
		wantErr(t, "page", err, nil)
		if len(page) > 3 {
			t.Fatalf("page of %d, limit 3", len(page))
		}
		for _, c := range page {
			if c.Status != forewarn.StatusPublished || c.PostID != "listed" {
				t.Errorf("listed %+v", c)
			}
			got = append(got, c.ID)
		}
		if next == "" {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		after = next
	}
	if len(got) != len(want) {
		t.Fatalf("paged through %d comments, want %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for i, id := range got {
		if seen[id] {
			t.Errorf("%s listed twice", id)
		}
		seen[id] = true
		if i > 0 {
			a, _ := s.Comment(ctx, got[i-1])
			b, _ := s.Comment(ctx, id)
			if b.CreatedAt.Before(a.CreatedAt) || b.CreatedAt.Equal(a.CreatedAt) && b.ID < a.ID {
				t.Errorf("%s listed after %s", id, got[i-1])
			}
		}
	}
	// Approving a held comment puts it among the published ones.
	if _, err := s.Decide(ctx, held.ID, forewarn.AuditEntry{Actor: "mod", Action: forewarn.Approve}); err != nil {
		t.Fatal(err)
	}
	page, _, err := ps.PostComments(ctx, forewarn.CommentFilter{PostID: "listed", Statuses: []forewarn.Status{forewarn.StatusPublished, forewarn.StatusApproved}, Limit: 100})
	wantErr(t, "all", err, nil)
	if len(page) != 8 || page[7].ID != held.ID {
		t.Errorf("after approval: %d comments, last %s, want 8 ending in %s", len(page), page[len(page)-1].ID, held.ID)
	}
	page, next, err := ps.PostComments(ctx, forewarn.CommentFilter{PostID: "listed", Statuses: []forewarn.Status{forewarn.StatusSupport}})
	wantErr(t, "support", err, nil)
	if len(page) != 1 || next != "" {
		t.Errorf("support listing: %d, next %q", len(page), next)
	}
	for _, f := range []forewarn.CommentFilter{
		{PostID: "listed"},
		{PostID: "listed", Statuses: []forewarn.Status{"gone"}},
		{PostID: "listed", Statuses: []forewarn.Status{forewarn.StatusHeld}, After: "not a cursor!"},
		{PostID: "listed", Statuses: []forewarn.Status{forewarn.StatusHeld}, Limit: -1},
	} {
		_, _, err := ps.PostComments(ctx, f)
		wantErr(t, fmt.Sprintf("filter %+v", f), err, forewarn.ErrInvalid)
	}
}

func testWebhooks(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	ws := webhookStore(t, s)
	a := &forewarn.Webhook{URL: "https://site.example/hooks"}
	wantErr(t, "create", ws.CreateWebhook(ctx, a), nil)
	if a.ID == "" || len(a.Secret) < 30 || a.Events == nil {
		t.Errorf("created %+v", a)
	}
	b := &forewarn.Webhook{URL: "http://127.0.0.1:9/support", Events: []forewarn.EventType{forewarn.EventSupport}}
	wantErr(t, "create", ws.CreateWebhook(ctx, b), nil)
	for _, bad := range []*forewarn.Webhook{{URL: "ftp://x"}, {URL: "/relative"}, {URL: "https://x", Events: []forewarn.EventType{"comment.eaten"}}} {
		wantErr(t, "create "+bad.URL, ws.CreateWebhook(ctx, bad), forewarn.ErrInvalid)
	}
	list, err := ws.Webhooks(ctx)
	wantErr(t, "list", err, nil)
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID || list[1].Events[0] != forewarn.EventSupport || list[0].Secret != "" {
		t.Errorf("list %+v", list)
	}
	wantErr(t, "delete", ws.DeleteWebhook(ctx, a.ID), nil)
	wantErr(t, "delete again", ws.DeleteWebhook(ctx, a.ID), forewarn.ErrNotFound)
	list, _ = ws.Webhooks(ctx)
	if len(list) != 1 {
		t.Errorf("after delete: %d webhooks", len(list))
	}
}

// testOutbox checks that comments and decisions write their events with
// the change, to the webhooks that want them, and that deliveries are
// claimed, retried and logged.
func testOutbox(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	ws := webhookStore(t, s)
	// Before any webhook nothing is queued.
	mustCreate(t, s, comment("p1", "before hooks", forewarn.Hold))
	all := &forewarn.Webhook{URL: "https://site.example/all"}
	support := &forewarn.Webhook{URL: "https://site.example/support", Events: []forewarn.EventType{forewarn.EventSupport}}
	wantErr(t, "create", ws.CreateWebhook(ctx, all), nil)
	wantErr(t, "create", ws.CreateWebhook(ctx, support), nil)
	pub := mustCreate(t, s, comment("p1", "kind words", forewarn.Publish))
	sup := mustCreate(t, s, comment("p1", "at risk", forewarn.Support))
	if _, err := s.Decide(ctx, sup.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.ReachedOut, Note: "called"}); err != nil {
		t.Fatal(err)
	}
	// A replayed idempotency key stores nothing and queues nothing.
	k := forewarn.IdempotencyKey{KeyID: "k-suite", Key: "outbox"}
	if _, _, err := s.CreateComment(ctx, comment("p1", "once", forewarn.Hold), k); err != nil {
		t.Fatal(err)
	}
	if _, existed, err := s.CreateComment(ctx, comment("p1", "once", forewarn.Hold), k); err != nil || !existed {
		t.Fatalf("replay: existed %v, %v", existed, err)
	}
	got, err := ws.ClaimDeliveries(ctx, 100, time.Minute)
	wantErr(t, "claim", err, nil)
	type row struct {
		typ     forewarn.EventType
		comment string
		webhook string
	}
	var rows []row
	ids := map[string]bool{}
	for _, o := range got {
		rows = append(rows, row{o.EventType, o.CommentID, o.WebhookID})
		var ev forewarn.Event
		if err := json.Unmarshal(o.Body, &ev); err != nil {
			t.Fatalf("body %s: %v", o.Body, err)
		}
		if ev.ID != o.EventID || ev.Type != o.EventType || ev.Data.Comment == nil || ev.Data.Comment.ID != o.CommentID {
			t.Errorf("body %s does not match delivery %+v", o.Body, o.Delivery)
		}
		if ev.Type == forewarn.EventDecided && (ev.Data.Action == nil || ev.Data.Action.Action != forewarn.ReachedOut || ev.Data.Action.Note != "called") {
			t.Errorf("decided event without its action: %s", o.Body)
		}
		if o.Secret == "" || o.State != forewarn.DeliveryPending || o.Attempts != 0 {
			t.Errorf("claimed %+v", o.Delivery)
		}
		ids[o.EventID+o.WebhookID] = true
	}
	want := []row{
		{forewarn.EventPublished, pub.ID, all.ID},
		{forewarn.EventSupport, sup.ID, all.ID},
		{forewarn.EventSupport, sup.ID, support.ID},
		{forewarn.EventDecided, sup.ID, all.ID},
		{forewarn.EventHeld, "", all.ID},
	}
	if len(rows) != len(want) || len(ids) != len(want) {
		t.Fatalf("claimed %+v, want %+v", rows, want)
	}
	for i, w := range want {
		if rows[i].typ != w.typ || w.comment != "" && rows[i].comment != w.comment || rows[i].webhook != w.webhook && !(i == 1 || i == 2) {
			t.Errorf("delivery %d = %+v, want %+v", i, rows[i], w)
		}
	}
	// Claimed deliveries are leased: a second claim gets none.
	again, err := ws.ClaimDeliveries(ctx, 100, time.Minute)
	wantErr(t, "claim again", err, nil)
	if len(again) != 0 {
		t.Errorf("claimed %d leased deliveries again", len(again))
	}
	// One is delivered, one retried at once, one given up.
	wantErr(t, "delivered", ws.FinishDelivery(ctx, got[0].EventID, got[0].WebhookID, forewarn.DeliveryResult{Status: 204, Delivered: true}), nil)
	wantErr(t, "retry", ws.FinishDelivery(ctx, got[1].EventID, got[1].WebhookID, forewarn.DeliveryResult{Status: 503, Error: "503 Service Unavailable", NextAt: time.Now().Add(-time.Second)}), nil)
	wantErr(t, "give up", ws.FinishDelivery(ctx, got[2].EventID, got[2].WebhookID, forewarn.DeliveryResult{Error: "connection refused"}), nil)
	wantErr(t, "finish twice", ws.FinishDelivery(ctx, got[0].EventID, got[0].WebhookID, forewarn.DeliveryResult{Delivered: true}), forewarn.ErrNotFound)
	retry, err := ws.ClaimDeliveries(ctx, 100, time.Minute)
	wantErr(t, "claim retry", err, nil)
	if len(retry) != 1 || retry[0].EventID != got[1].EventID || retry[0].Attempts != 1 || retry[0].LastStatus != 503 {
		t.Errorf("retry claim %+v", retry)
	}
	log, err := ws.Deliveries(ctx, forewarn.DeliveryFilter{})
	wantErr(t, "log", err, nil)
	if len(log) != len(want) {
		t.Errorf("log has %d lines, want %d", len(log), len(want))
	}
	states := map[forewarn.DeliveryState]int{}
	for _, d := range log {
		states[d.State]++
	}
	if states[forewarn.DeliveryDelivered] != 1 || states[forewarn.DeliveryFailed] != 1 || states[forewarn.DeliveryPending] != 3 {
		t.Errorf("log states %v", states)
	}
	failed, err := ws.Deliveries(ctx, forewarn.DeliveryFilter{State: forewarn.DeliveryFailed})
	wantErr(t, "failed log", err, nil)
	if len(failed) != 1 || failed[0].LastError != "connection refused" || failed[0].Attempts != 1 || failed[0].URL == "" {
		t.Errorf("failed log %+v", failed)
	}
	_, err = ws.Deliveries(ctx, forewarn.DeliveryFilter{State: "lost"})
	wantErr(t, "bad state", err, forewarn.ErrInvalid)
	// Removing a webhook drops its pending deliveries, not the log.
	wantErr(t, "delete", ws.DeleteWebhook(ctx, all.ID), nil)
	pending, _ := ws.Deliveries(ctx, forewarn.DeliveryFilter{State: forewarn.DeliveryPending})
	for _, d := range pending {
		if d.WebhookID == all.ID {
			t.Errorf("pending delivery to a deleted webhook: %+v", d)
		}
	}
	delivered, _ := ws.Deliveries(ctx, forewarn.DeliveryFilter{State: forewarn.DeliveryDelivered})
	if len(delivered) != 1 {
		t.Errorf("delivered log after delete: %d", len(delivered))
	}
}

// testOutboxConcurrentClaims has several senders claim at once: every
// delivery goes to exactly one of them.
func testOutboxConcurrentClaims(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	ws := webhookStore(t, s)
	wantErr(t, "create", ws.CreateWebhook(ctx, &forewarn.Webhook{URL: "https://site.example/x"}), nil)
	const n = 60
	for i := range n {
		mustCreate(t, s, comment("p1", fmt.Sprint("c", i), forewarn.Publish))
	}
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		wg   sync.WaitGroup
	)
	for range 4 {
		wg.Go(func() {
			for {
				got, err := ws.ClaimDeliveries(ctx, 7, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, o := range got {
					seen[o.EventID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d events claimed, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s claimed %d times", id, k)
		}
	}
}
