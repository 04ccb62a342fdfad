package nats

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// connect opens a client connection that retries the other nodes when one
// goes away, closed when t ends.
func connect(t testing.TB, url string) (*natsgo.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := natsgo.Connect(url, natsgo.DontRandomize(), natsgo.MaxReconnects(-1), natsgo.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

// memStore is a forewarn.BatchStore in memory for the tests that need no
// database.
type memStore struct {
	mu    sync.Mutex
	byID  map[string]*forewarn.Comment
	saves int
	fail  error         // returned by SaveComments while set
	delay time.Duration // each save takes this long, as a slow database would
}

func newMemStore() *memStore { return &memStore{byID: map[string]*forewarn.Comment{}} }

func (m *memStore) SaveComments(_ context.Context, cs []forewarn.Accepted) ([]bool, error) {
	time.Sleep(m.delay)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	m.saves++
	out := make([]bool, len(cs))
	for i, a := range cs {
		if _, ok := m.byID[a.Comment.ID]; !ok {
			m.byID[a.Comment.ID] = a.Comment
			out[i] = true
		}
	}
	return out, nil
}

func (m *memStore) Comment(_ context.Context, id string) (*forewarn.Comment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.byID[id]; ok {
		return c, nil
	}
	return nil, forewarn.ErrNotFound
}

func (m *memStore) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID)
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// newComment returns a decided comment as the HTTP layer builds it.
func newComment(post, text string) *forewarn.Comment {
	return &forewarn.Comment{PostID: post, Author: "ann", Text: text, Decision: forewarn.Publish,
		Scores: map[string]float64{"insult": 0.1}, Reasons: []string{}, Evidence: []forewarn.Evidence{}}
}
