package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/postgres"
	"github.com/forewarn/forewarn/storetest"
	"github.com/jackc/pgx/v5"
)

// freshSchema returns a DSN on an empty schema of the test server, or skips.
var freshSchema = storetest.PostgresSchema

func open(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), dsn, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) forewarn.Store { return open(t, freshSchema(t)) })
}

// TestMigrateTogether starts several stores on one new schema at once: the
// advisory lock must let exactly one apply the migrations.
func TestMigrateTogether(t *testing.T) {
	dsn := freshSchema(t)
	const n = 4
	errs := make(chan error, n)
	dbs := make(chan *postgres.DB, n)
	for range n {
		go func() {
			db, err := postgres.Open(t.Context(), dsn, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
			errs <- err
			dbs <- db
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("open: %v", err)
		}
		if db := <-dbs; db != nil {
			defer db.Close()
		}
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var versions, max int
	if err := conn.QueryRow(t.Context(), "SELECT count(*), max(version) FROM schema_version").Scan(&versions, &max); err != nil {
		t.Fatal(err)
	}
	if versions != max {
		t.Errorf("schema_version has %d rows for %d migrations", versions, max)
	}
}

func BenchmarkCreateComment(b *testing.B) {
	db := open(b, freshSchema(b))
	defer db.Close()
	storetest.BenchmarkCreateComment(b, db)
}

// TestMigrateIdempotencyColumns builds a schema at version 1 with an
// idempotency key in the single-column form and checks that opening it
// moves the key under an empty API key ID, where replays find it.
func TestMigrateIdempotencyColumns(t *testing.T) {
	dsn := freshSchema(t)
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	schema, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(schema),
		`CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`,
		`INSERT INTO schema_version VALUES (1, now())`,
		`INSERT INTO comments (id, post_id, author, text, decision, status, scores, reasons, evidence, created_at, updated_at)
			VALUES ('c_plain', 'p', 'a', 'plain', 'hold', 'held', '{}', '[]', '[]', now(), now())`,
		`INSERT INTO idempotency_keys (key, comment_id, created_at) VALUES ('plain-key', 'c_plain', now())`,
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db := open(t, dsn)
	defer db.Close()
	tests := []struct {
		key     forewarn.IdempotencyKey
		existed bool
	}{
		{forewarn.IdempotencyKey{Key: "plain-key"}, true},
		{forewarn.IdempotencyKey{KeyID: "k_pub", Key: "plain-key"}, false},
	}
	for _, tt := range tests {
		c, existed, err := db.CreateComment(t.Context(), &forewarn.Comment{PostID: "p", Text: "again", Decision: forewarn.Hold}, tt.key)
		if err != nil {
			t.Fatalf("%+v: %v", tt.key, err)
		}
		if existed != tt.existed || (existed && c.ID != "c_plain") {
			t.Errorf("%+v: existed %v id %s, want %v", tt.key, existed, c.ID, tt.existed)
		}
	}
}

// TestSaveComments saves a batch twice, as a redelivery after a crash
// would: the second save changes nothing.
func TestSaveComments(t *testing.T) {
	db := open(t, freshSchema(t))
	defer db.Close()
	ctx := t.Context()
	// One webhook wants every event, one only held comments.
	for _, w := range []*forewarn.Webhook{{URL: "https://example.org/all"}, {URL: "https://example.org/held", Events: []forewarn.EventType{forewarn.EventHeld}}} {
		if err := db.CreateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	batch := make([]forewarn.Accepted, 5)
	for i := range batch {
		batch[i] = forewarn.Accepted{
			Comment: &forewarn.Comment{ID: "c_" + string(rune('a'+i)), PostID: "p", Author: "ann", Text: "text " + string(rune('a'+i)),
				Decision: forewarn.Hold, Scores: map[string]float64{"insult": 0.9}, Reasons: []string{"insult"},
				Evidence: []forewarn.Evidence{{Label: "insult", Start: 0, End: 4}}},
			Idem: forewarn.IdempotencyKey{KeyID: "k_pub", Key: "k" + string(rune('a'+i))},
		}
	}
	tests := []struct {
		name  string
		batch []forewarn.Accepted
		want  []bool
	}{
		{"first", batch[:3], []bool{true, true, true}},
		{"again, with more", batch, []bool{false, false, false, true, true}},
		{"twice in one batch", []forewarn.Accepted{batch[0], batch[0]}, []bool{false, false}},
		{"empty", nil, []bool{}},
	}
	for _, tc := range tests {
		got, err := db.SaveComments(ctx, tc.batch)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: inserted %v, want %v", tc.name, got, tc.want)
		}
	}
	q, err := db.Queue(ctx, forewarn.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != len(batch) {
		t.Fatalf("queue has %d comments, want %d", len(q), len(batch))
	}
	for i, c := range q {
		if c.ID != batch[i].Comment.ID || c.Text != batch[i].Comment.Text || c.Status != forewarn.StatusHeld || c.Scores["insult"] != 0.9 || len(c.Evidence) != 1 {
			t.Errorf("queue[%d] = %+v, want %+v held", i, c, batch[i].Comment)
		}
	}
	// Each new comment has its event once, to both webhooks (the batch
	// is held comments), whatever the repeats.
	out, err := db.ClaimDeliveries(ctx, 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	perComment := map[string]int{}
	for _, o := range out {
		perComment[o.CommentID]++
	}
	if len(out) != 2*len(batch) || len(perComment) != len(batch) {
		t.Errorf("%d deliveries for %d comments, want two for each of %d", len(out), len(perComment), len(batch))
	}
	// The idempotency key finds the saved comment.
	got, existed, err := db.CreateComment(ctx, &forewarn.Comment{PostID: "p", Text: "other", Decision: forewarn.Publish}, forewarn.IdempotencyKey{KeyID: "k_pub", Key: "kb"})
	if err != nil || !existed || got.ID != "c_b" {
		t.Errorf("create under a saved key: %v %v %v, want c_b existing", got, existed, err)
	}
	bad := []forewarn.Accepted{{Comment: &forewarn.Comment{ID: "c_z", PostID: "p", Text: "nul \x00", Decision: forewarn.Publish}}}
	if _, err := db.SaveComments(ctx, bad); !errors.Is(err, forewarn.ErrInvalid) {
		t.Errorf("NUL text: err %v, want ErrInvalid", err)
	}
}

// BenchmarkSaveComments saves batches of 500 comments, as a worker does,
// with and without their idempotency keys (whose foreign key check is
// most of a batch's cost).
func BenchmarkSaveComments(b *testing.B) {
	for _, keys := range []bool{true, false} {
		b.Run(map[bool]string{true: "keys", false: "no-keys"}[keys], func(b *testing.B) {
			db := open(b, freshSchema(b))
			defer db.Close()
			const batch = 500
			n := 0
			for b.Loop() {
				cs := make([]forewarn.Accepted, batch)
				for i := range cs {
					n++
					cs[i] = forewarn.Accepted{Comment: &forewarn.Comment{ID: fmt.Sprint("c_", n), PostID: "p", Author: "reader",
						Text:     "a comment of an ordinary length, about a hundred bytes, as readers write them",
						Decision: forewarn.Publish, Scores: map[string]float64{"insult": 0.1, "threat": 0.01}}}
					if keys {
						cs[i].Idem = forewarn.IdempotencyKey{KeyID: "k_pub", Key: fmt.Sprint("k", n)}
					}
				}
				if _, err := db.SaveComments(b.Context(), cs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "comments/s")
		})
	}
}
