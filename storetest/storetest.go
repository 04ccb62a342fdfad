// Package storetest is the conformance suite that every forewarn.Store
// implementation runs, so that SQLite and PostgreSQL behave the same to the
// HTTP layer. It also holds the shared storage benchmarks.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
)

// Run runs the suite. open must return a fresh, empty store whose clock is
// the wall clock; the suite closes it.
func Run(t *testing.T, open func(t *testing.T) forewarn.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s forewarn.Store)
	}{
		{"Posts", testPosts},
		{"Comments", testComments},
		{"OddText", testOddText},
		{"Idempotency", testIdempotency},
		{"IdempotencyConcurrent", testIdempotencyConcurrent},
		{"ConflictConcurrent", testConflictConcurrent},
		{"Decide", testDecide},
		{"DecideConcurrent", testDecideConcurrent},
		{"Audit", testAudit},
		{"Queue", testQueue},
		{"Claim", testClaim},
		{"ClaimConcurrent", testClaimConcurrent},
		{"QueueDepth", testQueueDepth},
		{"Keys", testKeys},
		{"PostEdits", testPostEdits},
		{"PostComments", testPostComments},
		{"Webhooks", testWebhooks},
		{"Outbox", testOutbox},
		{"OutboxConcurrentClaims", testOutboxConcurrentClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// idem returns key as an idempotency key of the suite's API key.
func idem(key string) forewarn.IdempotencyKey {
	return forewarn.IdempotencyKey{KeyID: "k-suite", Key: key}
}

// wantErr fails t unless err matches want (nil meaning no error).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil && err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
	if want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

func testPosts(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	at := time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)
	topics := []forewarn.Topic{{
		ID: "grief", Name: "Grief", Score: 0.875, Prominence: forewarn.Detailed, Paragraph: 2,
		Evidence: []forewarn.TopicEvidence{{Start: 4, End: 9, SentenceStart: 0, SentenceEnd: 30}},
	}}
	tests := []struct {
		name string
		post forewarn.Post
		err  error
	}{
		{"full", forewarn.Post{ID: "p-full", Text: "A long goodbye to my father.", Line: "Contains: grief", Topics: topics, Sensitive: true, CreatedAt: at}, nil},
		{"generated id", forewarn.Post{Text: "Weekend plans and gardening."}, nil},
		{"unicode", forewarn.Post{ID: "p-ü", Text: "Ça va? 🌱 Zoë’s café"}, nil},
		{"duplicate id", forewarn.Post{ID: "p-full", Text: "again"}, forewarn.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.post
			err := s.CreatePost(ctx, &p)
			wantErr(t, "create", err, tt.err)
			if err != nil {
				return
			}
			if p.ID == "" || (tt.post.ID != "" && p.ID != tt.post.ID) {
				t.Fatalf("id = %q, want %q or a generated one", p.ID, tt.post.ID)
			}
			if p.CreatedAt.IsZero() || (!tt.post.CreatedAt.IsZero() && !p.CreatedAt.Equal(tt.post.CreatedAt)) {
				t.Fatalf("created_at = %v, want %v or now", p.CreatedAt, tt.post.CreatedAt)
			}
			got, err := s.Post(ctx, p.ID)
			wantErr(t, "get", err, nil)
			if !p.CreatedAt.Equal(got.CreatedAt) {
				t.Errorf("created_at: stored %v, read %v", p.CreatedAt, got.CreatedAt)
			}
			want := p
			want.CreatedAt, got.CreatedAt = time.Time{}, time.Time{}
			if want.Topics == nil {
				want.Topics = []forewarn.Topic{}
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("read %+v\nwant %+v", *got, want)
			}
		})
	}
	_, err := s.Post(ctx, "p-missing")
	wantErr(t, "unknown post", err, forewarn.ErrNotFound)
}

// comment returns a comment on post with the given decision.
func comment(post, text string, d forewarn.Decision) *forewarn.Comment {
	return &forewarn.Comment{
		PostID:   post,
		Author:   "reader-1",
		Text:     text,
		Decision: d,
		Scores:   map[string]float64{"insult": 0.125, "threat": 0.5},
		Reasons:  []string{"insult above threshold"},
		Evidence: []forewarn.Evidence{{Label: "insult", Start: 0, End: 4}},
	}
}

// sameComment fails t unless a and b are equal, comparing times by instant.
func sameComment(t *testing.T, what string, a, b *forewarn.Comment) {
	t.Helper()
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		t.Fatalf("%s: times differ: %v/%v and %v/%v", what, a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt)
	}
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(x, y) {
		t.Fatalf("%s: comments differ:\n%+v\n%+v", what, x, y)
	}
}

func mustCreate(t *testing.T, s forewarn.Store, c *forewarn.Comment) *forewarn.Comment {
	t.Helper()
	got, _, err := s.CreateComment(t.Context(), c, forewarn.IdempotencyKey{})
	if err != nil {
		t.Fatalf("create comment: %v", err)
	}
	return got
}

func testComments(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	at := time.Date(2025, 1, 2, 3, 4, 5, 678901000, time.UTC)
	bare := &forewarn.Comment{PostID: "p1", Text: "Thinking of you.", Decision: forewarn.Publish}
	dated := comment("p1", "Dated comment", forewarn.Hold)
	dated.ID, dated.CreatedAt = "c-dated", at
	badDecision := comment("p1", "x", "maybe")
	badStatus := comment("p1", "x", forewarn.Hold)
	badStatus.Status = "lost"
	dup := comment("p1", "Duplicate id", forewarn.Publish)
	dup.ID = "c-dated"
	tests := []struct {
		name   string
		in     *forewarn.Comment
		status forewarn.Status
		err    error
	}{
		{"publish", comment("p1", "So sorry for your loss.", forewarn.Publish), forewarn.StatusPublished, nil},
		{"hold", comment("p1", "What a stupid thing to write.", forewarn.Hold), forewarn.StatusHeld, nil},
		{"support", comment("p1", "I can't go on any more.", forewarn.Support), forewarn.StatusSupport, nil},
		{"no scores", bare, forewarn.StatusPublished, nil},
		{"caller id and time", dated, forewarn.StatusHeld, nil},
		{"unknown post is kept", comment("p-elsewhere", "Nice.", forewarn.Publish), forewarn.StatusPublished, nil},
		{"duplicate id", dup, "", forewarn.ErrConflict},
		{"bad decision", badDecision, "", forewarn.ErrInvalid},
		{"bad status", badStatus, "", forewarn.ErrInvalid},
		{"no post", comment("", "x", forewarn.Publish), "", forewarn.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := *tt.in
			got, existed, err := s.CreateComment(ctx, &in, forewarn.IdempotencyKey{})
			wantErr(t, "create", err, tt.err)
			if err != nil {
				return
			}
			if existed {
				t.Error("existed = true without an idempotency key")
			}
			if got.Status != tt.status {
				t.Errorf("status = %q, want %q", got.Status, tt.status)
			}
			if got.ID == "" || (in.ID != "" && got.ID != in.ID) {
				t.Errorf("id = %q (asked for %q)", got.ID, in.ID)
			}
			if got.Text != in.Text || got.PostID != in.PostID || got.Author != in.Author || got.Decision != in.Decision {
				t.Errorf("stored %+v from %+v", got, in)
			}
			if got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() || (!in.CreatedAt.IsZero() && !got.CreatedAt.Equal(in.CreatedAt)) {
				t.Errorf("times %v %v (asked for %v)", got.CreatedAt, got.UpdatedAt, in.CreatedAt)
			}
			if got.Scores == nil || got.Reasons == nil || got.Evidence == nil {
				t.Errorf("nil collections in %+v; want empty ones", got)
			}
			read, err := s.Comment(ctx, got.ID)
			wantErr(t, "get", err, nil)
			sameComment(t, "read back", got, read)
		})
	}
	_, err := s.Comment(ctx, "c-missing")
	wantErr(t, "unknown comment", err, forewarn.ErrNotFound)

	// Generated IDs are distinct.
	a := mustCreate(t, s, comment("p1", "one", forewarn.Publish))
	b := mustCreate(t, s, comment("p1", "two", forewarn.Publish))
	if a.ID == b.ID {
		t.Errorf("two comments share id %q", a.ID)
	}
}

// CheckText stores text as a comment, author and post ID and fails t unless
// it reads back byte for byte or the store refused it with ErrInvalid (as
// PostgreSQL does for NUL bytes and invalid UTF-8). Fuzz tests call it.
func CheckText(t *testing.T, s forewarn.Store, text string) {
	t.Helper()
	ctx := t.Context()
	in := comment("p-"+text, text, forewarn.Hold)
	in.Author = text
	in.Reasons = []string{text}
	got, _, err := s.CreateComment(ctx, in, idem("idem-"+text))
	if errors.Is(err, forewarn.ErrInvalid) {
		return
	} else if err != nil {
		t.Fatalf("create %q: %v", text, err)
	}
	read, err := s.Comment(ctx, got.ID)
	if err != nil {
		t.Fatalf("read %q: %v", text, err)
	}
	sameComment(t, "odd text", got, read)
	if read.Text != text || read.Author != text || read.PostID != "p-"+text {
		t.Fatalf("stored %q, read back %q", text, read.Text)
	}
	q, err := s.Queue(ctx, forewarn.QueueFilter{PostID: "p-" + text})
	if err != nil || len(q) == 0 {
		t.Fatalf("queue for post %q: %d comments, %v", "p-"+text, len(q), err)
	}
}

func testOddText(t *testing.T, s forewarn.Store) {
	for _, text := range []string{
		"", "plain", "it's \"quoted\"; DROP TABLE comments; --", "percent % and _ underscore",
		"ünïcödé 🌱 мир 世界", "\u2028line\u2029separators", "tab\tand\nnewline",
		"nul\x00byte", "bad utf-8 \xff\xfe", strings.Repeat("long ", 20000),
	} {
		t.Run(fmt.Sprintf("%.12q", text), func(t *testing.T) { CheckText(t, s, text) })
	}
	// Lookups by ids no store can hold find nothing, and filters and
	// notes with such text are refused, rather than failing as errors.
	ctx := t.Context()
	held := mustCreate(t, s, comment("p1", "held", forewarn.Hold))
	for _, bad := range []string{"nul\x00id", "bad\xffid"} {
		_, err := s.Post(ctx, bad)
		wantErr(t, "post "+bad, err, forewarn.ErrNotFound)
		_, err = s.Comment(ctx, bad)
		wantErr(t, "comment "+bad, err, forewarn.ErrNotFound)
		_, err = s.Audit(ctx, bad)
		wantErr(t, "audit "+bad, err, forewarn.ErrNotFound)
		_, err = s.Decide(ctx, bad, forewarn.AuditEntry{Actor: "mod", Action: forewarn.Approve})
		wantErr(t, "decide "+bad, err, forewarn.ErrNotFound)
		_, err = s.Decide(ctx, held.ID, forewarn.AuditEntry{Actor: "mod", Action: forewarn.Approve, Note: bad})
		wantErr(t, "decide note "+bad, err, forewarn.ErrInvalid)
		_, err = s.Queue(ctx, forewarn.QueueFilter{PostID: bad})
		wantErr(t, "queue "+bad, err, forewarn.ErrInvalid)
		_, err = s.Claim(ctx, forewarn.QueueFilter{}, bad, time.Now())
		wantErr(t, "claim "+bad, err, forewarn.ErrInvalid)
		err = s.CreatePost(ctx, &forewarn.Post{Text: bad})
		wantErr(t, "create post "+bad, err, forewarn.ErrInvalid)
		_, err = s.KeyByHash(ctx, []byte(bad))
		wantErr(t, "key "+bad, err, forewarn.ErrNotFound)
	}
}

func testIdempotency(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	first, existed, err := s.CreateComment(ctx, comment("p1", "first", forewarn.Hold), idem("key-1"))
	wantErr(t, "first", err, nil)
	if existed {
		t.Fatal("first call: existed = true")
	}
	tests := []struct {
		name    string
		in      *forewarn.Comment
		key     forewarn.IdempotencyKey
		existed bool
	}{
		{"same key", comment("p1", "first", forewarn.Hold), idem("key-1"), true},
		{"same key other body", comment("p2", "changed text", forewarn.Publish), idem("key-1"), true},
		{"other key", comment("p1", "first", forewarn.Hold), idem("key-2"), false},
		{"same key of another API key", comment("p1", "first", forewarn.Hold), forewarn.IdempotencyKey{KeyID: "k-other", Key: "key-1"}, false},
		{"same key without an API key", comment("p1", "first", forewarn.Hold), forewarn.IdempotencyKey{Key: "key-1"}, false},
		{"no key", comment("p1", "first", forewarn.Hold), forewarn.IdempotencyKey{}, false},
		{"no key again", comment("p1", "first", forewarn.Hold), forewarn.IdempotencyKey{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, existed, err := s.CreateComment(ctx, tt.in, tt.key)
			wantErr(t, "create", err, nil)
			if existed != tt.existed {
				t.Fatalf("existed = %v, want %v", existed, tt.existed)
			}
			if tt.existed {
				sameComment(t, "replay", first, got)
			} else if got.ID == first.ID {
				t.Fatalf("new comment reuses id %q", got.ID)
			}
		})
	}
	// Replays add nothing to the queue: first, key-2, key-1 under the two
	// other API keys and the two without a key.
	depth, err := s.QueueDepth(ctx)
	wantErr(t, "depth", err, nil)
	if depth[forewarn.StatusHeld] != 6 {
		t.Errorf("held = %d, want 6", depth[forewarn.StatusHeld])
	}
	// Keys no store can hold are refused before anything is stored.
	for _, bad := range []forewarn.IdempotencyKey{{KeyID: "k\x00", Key: "x"}, {KeyID: "k", Key: "bad\xff"}, {KeyID: "k"}} {
		_, _, err := s.CreateComment(ctx, comment("p1", "bad key", forewarn.Hold), bad)
		wantErr(t, fmt.Sprintf("key %q", bad), err, forewarn.ErrInvalid)
	}
	// A caller ID under an existing key returns the first comment, too.
	again := comment("p1", "first", forewarn.Hold)
	again.ID = "c-other"
	got, existed, err := s.CreateComment(ctx, again, idem("key-1"))
	wantErr(t, "replay with id", err, nil)
	if !existed || got.ID != first.ID {
		t.Errorf("replay with id: existed %v id %q, want true %q", existed, got.ID, first.ID)
	}
	_, err = s.Comment(ctx, "c-other")
	wantErr(t, "replayed id not stored", err, forewarn.ErrNotFound)
}

func testIdempotencyConcurrent(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	const keys, callers = 4, 8
	type result struct {
		key     int
		id      string
		existed bool
		err     error
	}
	results := make(chan result, keys*callers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for k := range keys {
		for range callers {
			wg.Go(func() {
				<-start
				c, existed, err := s.CreateComment(ctx, comment("p1", fmt.Sprint("race ", k), forewarn.Hold), idem(fmt.Sprint("race-", k)))
				r := result{key: k, existed: existed, err: err}
				if c != nil {
					r.id = c.ID
				}
				results <- r
			})
		}
	}
	close(start)
	wg.Wait()
	close(results)
	ids := map[int]string{}
	fresh := map[int]int{}
	for r := range results {
		wantErr(t, "create", r.err, nil)
		if prev, ok := ids[r.key]; ok && prev != r.id {
			t.Errorf("key %d gave ids %q and %q", r.key, prev, r.id)
		}
		ids[r.key] = r.id
		if !r.existed {
			fresh[r.key]++
		}
	}
	for k := range keys {
		if fresh[k] != 1 {
			t.Errorf("key %d: %d callers created a comment, want 1", k, fresh[k])
		}
	}
	depth, err := s.QueueDepth(ctx)
	wantErr(t, "depth", err, nil)
	if depth[forewarn.StatusHeld] != keys {
		t.Errorf("held = %d, want %d", depth[forewarn.StatusHeld], keys)
	}
}

// race runs fn n times at once and returns how many calls succeeded, failing
// t on any error other than want.
func race(t *testing.T, n int, want error, fn func(i int) error) int {
	t.Helper()
	errs := make(chan error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs <- fn(i)
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, want):
			t.Errorf("error %v, want nil or %v", err, want)
		}
	}
	return ok
}

// testConflictConcurrent stores the same comment ID from several callers
// at once, mixed with unrelated inserts: one wins, the others get
// ErrConflict, and the unrelated inserts are unaffected.
func testConflictConcurrent(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	const n = 16
	ok := race(t, n, forewarn.ErrConflict, func(i int) error {
		c := comment("p1", fmt.Sprint("conflict ", i), forewarn.Hold)
		if i%2 == 0 {
			c.ID = "c-same"
		}
		_, _, err := s.CreateComment(ctx, c, forewarn.IdempotencyKey{})
		return err
	})
	if ok != n/2+1 {
		t.Errorf("%d inserts succeeded, want %d", ok, n/2+1)
	}
	depth, err := s.QueueDepth(ctx)
	wantErr(t, "depth", err, nil)
	if depth[forewarn.StatusHeld] != n/2+1 {
		t.Errorf("held = %d, want %d", depth[forewarn.StatusHeld], n/2+1)
	}
}

// testDecideConcurrent has several moderators decide one comment at once:
// exactly one decision lands, with exactly one audit entry.
func testDecideConcurrent(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	c := mustCreate(t, s, comment("p1", "contested", forewarn.Hold))
	ok := race(t, 8, forewarn.ErrConflict, func(i int) error {
		action := forewarn.Approve
		if i%2 == 1 {
			action = forewarn.Reject
		}
		_, err := s.Decide(ctx, c.ID, forewarn.AuditEntry{Actor: fmt.Sprint("mod-", i), Action: action})
		return err
	})
	if ok != 1 {
		t.Errorf("%d decisions landed, want 1", ok)
	}
	entries, err := s.Audit(ctx, c.ID)
	wantErr(t, "audit", err, nil)
	if len(entries) != 1 {
		t.Fatalf("%d audit entries, want 1", len(entries))
	}
	got, err := s.Comment(ctx, c.ID)
	wantErr(t, "read", err, nil)
	if got.Status != entries[0].To {
		t.Errorf("status %s, audit says %s", got.Status, entries[0].To)
	}
}

func testDecide(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	held := mustCreate(t, s, comment("p1", "held one", forewarn.Hold))
	support := mustCreate(t, s, comment("p1", "support one", forewarn.Support))
	published := mustCreate(t, s, comment("p1", "published one", forewarn.Publish))
	twice := mustCreate(t, s, comment("p1", "decided twice", forewarn.Hold))
	reached := mustCreate(t, s, comment("p1", "support, reached out", forewarn.Support))
	resolved := mustCreate(t, s, comment("p1", "support, resolved", forewarn.Support))
	heldSupport := mustCreate(t, s, comment("p1", "held, support action", forewarn.Hold))
	tests := []struct {
		name string
		id   string
		e    forewarn.AuditEntry
		want forewarn.Status
		err  error
	}{
		{"approve held", held.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Approve, Note: "fair criticism"}, forewarn.StatusApproved, nil},
		{"reject support", support.ID, forewarn.AuditEntry{Actor: "mod-b", Action: forewarn.Reject}, forewarn.StatusRejected, nil},
		{"published does not wait", published.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Reject}, "", forewarn.ErrConflict},
		{"first decision", twice.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Reject}, forewarn.StatusRejected, nil},
		{"second decision", twice.ID, forewarn.AuditEntry{Actor: "mod-b", Action: forewarn.Approve}, "", forewarn.ErrConflict},
		{"unknown comment", "c-missing", forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Approve}, "", forewarn.ErrNotFound},
		{"unknown action", held.ID, forewarn.AuditEntry{Actor: "mod-a", Action: "delete"}, "", forewarn.ErrInvalid},
		{"no actor", held.ID, forewarn.AuditEntry{Action: forewarn.Approve}, "", forewarn.ErrInvalid},
		{"reached out keeps the case open", reached.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.ReachedOut, Note: "emailed"}, forewarn.StatusSupport, nil},
		{"escalated keeps the case open", reached.ID, forewarn.AuditEntry{Actor: "mod-b", Action: forewarn.Escalated}, forewarn.StatusSupport, nil},
		{"resolved after reaching out", reached.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Resolved}, forewarn.StatusResolved, nil},
		{"resolved closes the case", resolved.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Resolved}, forewarn.StatusResolved, nil},
		{"resolved case does not wait", resolved.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.ReachedOut}, "", forewarn.ErrConflict},
		{"support action on a held comment", heldSupport.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.ReachedOut}, "", forewarn.ErrConflict},
		{"held comment still decidable", heldSupport.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Reject}, forewarn.StatusRejected, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.Comment(ctx, tt.id)
			got, err := s.Decide(ctx, tt.id, tt.e)
			wantErr(t, "decide", err, tt.err)
			if err != nil {
				if before != nil {
					after, _ := s.Comment(ctx, tt.id)
					sameComment(t, "failed decision changed the comment", before, after)
				}
				return
			}
			if got.Status != tt.want || got.ID != tt.id {
				t.Fatalf("got %s %q, want %s %q", got.ID, got.Status, tt.id, tt.want)
			}
			if got.UpdatedAt.Before(got.CreatedAt) {
				t.Errorf("updated_at %v before created_at %v", got.UpdatedAt, got.CreatedAt)
			}
			read, err := s.Comment(ctx, tt.id)
			wantErr(t, "read", err, nil)
			sameComment(t, "read after decide", got, read)
		})
	}
	// Decided comments leave the queue; the published one never was there.
	q, err := s.Queue(ctx, forewarn.QueueFilter{})
	wantErr(t, "queue", err, nil)
	if len(q) != 0 {
		t.Errorf("queue has %d comments after every waiting one was decided", len(q))
	}
	// Every support action is in the audit trail, in order.
	entries, err := s.Audit(ctx, reached.ID)
	wantErr(t, "audit", err, nil)
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%s %s %s>%s", e.Actor, e.Action, e.From, e.To))
	}
	want := []string{"mod-a reached-out support>support", "mod-b escalated support>support", "mod-a resolved support>resolved"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("support audit %q, want %q", got, want)
	}
}

func testAudit(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	c := mustCreate(t, s, comment("p1", "held for audit", forewarn.Hold))
	entries, err := s.Audit(ctx, c.ID)
	wantErr(t, "audit before", err, nil)
	if len(entries) != 0 {
		t.Fatalf("audit before any decision: %+v", entries)
	}
	before := time.Now().Add(-time.Minute)
	if _, err := s.Decide(ctx, c.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Reject, Note: "mocks the poster's grief"}); err != nil {
		t.Fatal(err)
	}
	// A refused decision leaves no entry.
	if _, err := s.Decide(ctx, c.ID, forewarn.AuditEntry{Actor: "mod-b", Action: forewarn.Approve}); !errors.Is(err, forewarn.ErrConflict) {
		t.Fatalf("second decision: %v", err)
	}
	entries, err = s.Audit(ctx, c.ID)
	wantErr(t, "audit", err, nil)
	if len(entries) != 1 {
		t.Fatalf("got %d entries, want 1: %+v", len(entries), entries)
	}
	e := entries[0]
	want := forewarn.AuditEntry{CommentID: c.ID, Actor: "mod-a", Action: forewarn.Reject, Note: "mocks the poster's grief", From: forewarn.StatusHeld, To: forewarn.StatusRejected}
	at := e.At
	e.At = time.Time{}
	if e != want {
		t.Errorf("entry %+v, want %+v", e, want)
	}
	if at.Before(before) || at.After(time.Now().Add(time.Minute)) {
		t.Errorf("entry time %v is not about now", at)
	}
	_, err = s.Audit(ctx, "c-missing")
	wantErr(t, "unknown comment", err, forewarn.ErrNotFound)
}

// ids returns the IDs of cs in order.
func ids(cs []*forewarn.Comment) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// seedQueue stores comments whose creation times run against insertion
// order, so that ordering by time is visible, and returns them by name.
func seedQueue(t *testing.T, s forewarn.Store) map[string]*forewarn.Comment {
	base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	seed := []struct {
		name string
		post string
		d    forewarn.Decision
		age  time.Duration
	}{
		{"h1", "pa", forewarn.Hold, 10 * time.Minute},
		{"s1", "pa", forewarn.Support, 50 * time.Minute},
		{"h2", "pb", forewarn.Hold, 40 * time.Minute},
		{"p1", "pa", forewarn.Publish, 60 * time.Minute},
		{"h3", "pa", forewarn.Hold, 30 * time.Minute},
		{"s2", "pb", forewarn.Support, 20 * time.Minute},
	}
	out := map[string]*forewarn.Comment{}
	for _, c := range seed {
		in := comment(c.post, "queued "+c.name, c.d)
		in.ID = c.name
		in.CreatedAt = base.Add(-c.age)
		out[c.name] = mustCreate(t, s, in)
	}
	return out
}

func testQueue(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	seeded := seedQueue(t, s)
	tests := []struct {
		name string
		f    forewarn.QueueFilter
		want []string
		err  error
	}{
		{"all oldest first", forewarn.QueueFilter{}, []string{"s1", "h2", "h3", "s2", "h1"}, nil},
		{"held", forewarn.QueueFilter{Status: forewarn.StatusHeld}, []string{"h2", "h3", "h1"}, nil},
		{"support", forewarn.QueueFilter{Status: forewarn.StatusSupport}, []string{"s1", "s2"}, nil},
		{"post", forewarn.QueueFilter{PostID: "pa"}, []string{"s1", "h3", "h1"}, nil},
		{"post and status", forewarn.QueueFilter{PostID: "pb", Status: forewarn.StatusHeld}, []string{"h2"}, nil},
		{"limit", forewarn.QueueFilter{Limit: 2}, []string{"s1", "h2"}, nil},
		{"unknown post", forewarn.QueueFilter{PostID: "pz"}, []string{}, nil},
		{"published is no queue", forewarn.QueueFilter{Status: forewarn.StatusPublished}, nil, forewarn.ErrInvalid},
		{"negative limit", forewarn.QueueFilter{Limit: -3}, nil, forewarn.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Queue(ctx, tt.f)
			wantErr(t, "queue", err, tt.err)
			if err != nil {
				return
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Fatalf("got %v, want %v", ids(got), tt.want)
			}
			for _, c := range got {
				sameComment(t, "queued "+c.ID, seeded[c.ID], c)
			}
		})
	}
	// Ties in time keep insertion order, and the default limit applies.
	at := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	var want []string
	for i := range forewarn.DefaultQueueLimit + 5 {
		in := comment("pc", "same instant", forewarn.Hold)
		in.ID = fmt.Sprintf("tie-%02d", forewarn.DefaultQueueLimit+5-i)
		in.CreatedAt = at
		mustCreate(t, s, in)
		want = append(want, in.ID)
	}
	got, err := s.Queue(ctx, forewarn.QueueFilter{PostID: "pc"})
	wantErr(t, "ties", err, nil)
	if !slices.Equal(ids(got), want[:forewarn.DefaultQueueLimit]) {
		t.Errorf("ties: got %v, want %v", ids(got), want[:forewarn.DefaultQueueLimit])
	}
}

func testClaim(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	seedQueue(t, s)
	soon := time.Now().Add(time.Hour)
	past := time.Now().Add(-time.Second)
	steps := []struct {
		name  string
		f     forewarn.QueueFilter
		actor string
		until time.Time
		want  []string
		err   error
	}{
		{"a takes the two oldest", forewarn.QueueFilter{Limit: 2}, "mod-a", soon, []string{"s1", "h2"}, nil},
		{"b skips a's", forewarn.QueueFilter{Limit: 2}, "mod-b", soon, []string{"h3", "s2"}, nil},
		{"c gets the rest", forewarn.QueueFilter{}, "mod-c", past, []string{"h1"}, nil},
		{"expired claim is free again", forewarn.QueueFilter{Status: forewarn.StatusHeld}, "mod-d", soon, []string{"h1"}, nil},
		{"nothing left", forewarn.QueueFilter{}, "mod-e", soon, []string{}, nil},
		{"live claims are not handed out again", forewarn.QueueFilter{PostID: "pa"}, "mod-a", soon, []string{}, nil},
		{"no actor", forewarn.QueueFilter{}, "", soon, nil, forewarn.ErrInvalid},
		{"bad status", forewarn.QueueFilter{Status: forewarn.StatusApproved}, "mod-a", soon, nil, forewarn.ErrInvalid},
	}
	for _, st := range steps {
		got, err := s.Claim(ctx, st.f, st.actor, st.until)
		wantErr(t, st.name, err, st.err)
		if err == nil && !slices.Equal(ids(got), st.want) {
			t.Fatalf("%s: got %v, want %v", st.name, ids(got), st.want)
		}
	}
	// Claims do not hide comments from the queue listing.
	q, err := s.Queue(ctx, forewarn.QueueFilter{})
	wantErr(t, "queue", err, nil)
	if len(q) != 5 {
		t.Errorf("queue lists %d comments, want 5", len(q))
	}
	// A decided comment cannot be claimed even once its claim runs out.
	fresh := mustCreate(t, s, comment("pd", "decide me", forewarn.Hold))
	if _, err := s.Claim(ctx, forewarn.QueueFilter{PostID: "pd"}, "mod-a", past); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, fresh.ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Approve}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Claim(ctx, forewarn.QueueFilter{PostID: "pd"}, "mod-b", soon)
	wantErr(t, "claim decided", err, nil)
	if len(got) != 0 {
		t.Errorf("claimed decided comments %v", ids(got))
	}
}

func testClaimConcurrent(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	const comments, claimers = 24, 6
	for i := range comments {
		mustCreate(t, s, comment("p1", fmt.Sprint("claim race ", i), forewarn.Hold))
	}
	until := time.Now().Add(time.Hour)
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range claimers {
		actor := fmt.Sprint("mod-", i)
		wg.Go(func() {
			<-start
			// Bounded: a store that hands out claimed comments again would
			// otherwise never run dry.
			for range comments {
				got, err := s.Claim(ctx, forewarn.QueueFilter{Limit: 2}, actor, until)
				if err != nil {
					t.Errorf("%s: %v", actor, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, c := range got {
					if prev, ok := owner[c.ID]; ok {
						t.Errorf("%s claimed by %s and %s", c.ID, prev, actor)
					}
					owner[c.ID] = actor
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	if len(owner) != comments {
		t.Errorf("%d comments claimed, want %d", len(owner), comments)
	}
}

func testQueueDepth(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	depth, err := s.QueueDepth(ctx)
	wantErr(t, "empty", err, nil)
	if want := map[forewarn.Status]int{forewarn.StatusHeld: 0, forewarn.StatusSupport: 0}; !reflect.DeepEqual(depth, want) {
		t.Errorf("empty store: %v, want %v", depth, want)
	}
	seeded := seedQueue(t, s)
	if _, err := s.Decide(ctx, seeded["h1"].ID, forewarn.AuditEntry{Actor: "mod-a", Action: forewarn.Approve}); err != nil {
		t.Fatal(err)
	}
	depth, err = s.QueueDepth(ctx)
	wantErr(t, "seeded", err, nil)
	if want := map[forewarn.Status]int{forewarn.StatusHeld: 2, forewarn.StatusSupport: 2}; !reflect.DeepEqual(depth, want) {
		t.Errorf("seeded store: %v, want %v", depth, want)
	}
}

func testKeys(t *testing.T, s forewarn.Store) {
	ctx := t.Context()
	at := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name   string
		key    forewarn.Key
		secret string
		err    error
	}{
		{"publisher", forewarn.Key{ID: "k-pub", Role: forewarn.RolePublisher, CreatedAt: at}, "fwk_one", nil},
		{"moderator generated id", forewarn.Key{Role: forewarn.RoleModerator}, "fwk_two", nil},
		{"admin", forewarn.Key{Role: forewarn.RoleAdmin}, "fwk_three", nil},
		{"same hash", forewarn.Key{Role: forewarn.RoleAdmin}, "fwk_one", forewarn.ErrConflict},
		{"same id", forewarn.Key{ID: "k-pub", Role: forewarn.RoleAdmin}, "fwk_four", forewarn.ErrConflict},
		{"bad role", forewarn.Key{Role: "root"}, "fwk_five", forewarn.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.key
			err := s.CreateKey(ctx, &k, forewarn.HashKey(tt.secret))
			wantErr(t, "create", err, tt.err)
			if err != nil {
				return
			}
			if k.ID == "" || k.CreatedAt.IsZero() || (!tt.key.CreatedAt.IsZero() && !k.CreatedAt.Equal(tt.key.CreatedAt)) {
				t.Fatalf("stored key %+v from %+v", k, tt.key)
			}
			got, err := s.KeyByHash(ctx, forewarn.HashKey(tt.secret))
			wantErr(t, "lookup", err, nil)
			if got.ID != k.ID || got.Role != k.Role || !got.CreatedAt.Equal(k.CreatedAt) {
				t.Errorf("lookup %+v, want %+v", got, k)
			}
		})
	}
	for _, secret := range []string{"fwk_four", "fwk_five", "", "fwk_ONE"} {
		_, err := s.KeyByHash(ctx, forewarn.HashKey(secret))
		wantErr(t, "unknown key "+secret, err, forewarn.ErrNotFound)
	}
	_, err := s.KeyByHash(ctx, nil)
	wantErr(t, "nil hash", err, forewarn.ErrNotFound)

	// Revoking: listed with the time, no longer found by hash, once only.
	wantErr(t, "revoke", s.RevokeKey(ctx, "k-pub"), nil)
	_, err = s.KeyByHash(ctx, forewarn.HashKey("fwk_one"))
	wantErr(t, "revoked lookup", err, forewarn.ErrNotFound)
	keys, err := s.Keys(ctx)
	wantErr(t, "list", err, nil)
	if len(keys) != 3 {
		t.Fatalf("listed %d keys, want 3: %+v", len(keys), keys)
	}
	var first *time.Time
	for _, k := range keys {
		if (k.ID == "k-pub") != (k.RevokedAt != nil) {
			t.Errorf("key %s revoked at %v", k.ID, k.RevokedAt)
		}
		if k.ID == "k-pub" {
			first = k.RevokedAt
		}
	}
	wantErr(t, "revoke again", s.RevokeKey(ctx, "k-pub"), nil)
	keys, err = s.Keys(ctx)
	wantErr(t, "list again", err, nil)
	for _, k := range keys {
		if k.ID == "k-pub" && (k.RevokedAt == nil || first == nil || !k.RevokedAt.Equal(*first)) {
			t.Errorf("second revocation moved the time: %v, first %v", k.RevokedAt, first)
		}
	}
	wantErr(t, "revoke unknown", s.RevokeKey(ctx, "k-nope"), forewarn.ErrNotFound)
	wantErr(t, "revoke bad id", s.RevokeKey(ctx, "k\x00"), forewarn.ErrNotFound)
	_, err = s.KeyByHash(ctx, forewarn.HashKey("fwk_two"))
	wantErr(t, "other keys still work", err, nil)
	wantErr(t, "ready", s.Ready(ctx), nil)
	wantErr(t, "ready twice", s.Ready(ctx), nil)
}

// BenchmarkCreateComment measures comment inserts, the hot path of the API,
// with and without an idempotency key and from one or many goroutines, and
// reports inserts per second.
func BenchmarkCreateComment(b *testing.B, s forewarn.Store) {
	ctx := context.Background()
	var seq sync.Mutex
	n := 0
	next := func() string {
		seq.Lock()
		defer seq.Unlock()
		n++
		return fmt.Sprint("bench-", n)
	}
	// par is goroutines per CPU (0: one caller). A server sees many
	// concurrent requests, which is what group commits feed on.
	for _, bc := range []struct {
		name string
		par  int
		idem bool
	}{
		{"serial", 0, false},
		{"serial-idem", 0, true},
		{"parallel", 8, false},
		{"parallel-idem", 8, true},
		{"parallel64-idem", 32, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			create := func() {
				var key forewarn.IdempotencyKey
				if bc.idem {
					key = idem(next())
				}
				// Error, not Fatal: RunParallel bodies run on other goroutines.
				if _, _, err := s.CreateComment(ctx, comment("bench-post", "You are all thoughtful people.", forewarn.Hold), key); err != nil {
					b.Error(err)
				}
			}
			if bc.par > 0 {
				b.SetParallelism(bc.par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						create()
					}
				})
			} else {
				for b.Loop() {
					create()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}
