package nats

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// freePort returns a loopback port that was free a moment ago; cluster
// nodes must know each other's route ports before they start.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startNode starts a NATS server with JetStream on a temporary directory
// inside the test process, and shuts it down when t ends.
func startNode(t testing.TB, opts *server.Options) *server.Server {
	t.Helper()
	opts.Host = "127.0.0.1"
	opts.Port = -1
	opts.JetStream = true
	opts.StoreDir = t.TempDir()
	opts.NoLog, opts.NoSigs = true, true
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(s.Shutdown)
	return s
}

// runServer starts one NATS node.
func runServer(t testing.TB) *server.Server {
	return startNode(t, &server.Options{ServerName: "n1"})
}

// runCluster starts n routed NATS nodes with JetStream clustering and waits
// until they elected a meta leader.
func runCluster(t testing.TB, n int) []*server.Server {
	t.Helper()
	ports := make([]int, n)
	routes := make([]string, n)
	for i := range ports {
		ports[i] = freePort(t)
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", ports[i])
	}
	nodes := make([]*server.Server, n)
	for i := range nodes {
		nodes[i] = startNode(t, &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Cluster:    server.ClusterOpts{Name: "forewarn", Host: "127.0.0.1", Port: ports[i]},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for !slices.ContainsFunc(nodes, (*server.Server).JetStreamIsLeader) {
		if time.Now().After(deadline) {
			t.Fatal("no JetStream meta leader")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nodes
}

// urls returns the client URLs of nodes, first first.
func urls(nodes []*server.Server, first int) string {
	var out []string
	for i := range nodes {
		out = append(out, nodes[(first+i)%len(nodes)].ClientURL())
	}
	return strings.Join(out, ",")
}

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
	fail  error // returned by SaveComments while set
}

func newMemStore() *memStore { return &memStore{byID: map[string]*forewarn.Comment{}} }

func (m *memStore) SaveComments(_ context.Context, cs []forewarn.Accepted) ([]bool, error) {
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
