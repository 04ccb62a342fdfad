// Package natstest starts NATS servers with JetStream inside a test
// process: one node, or a cluster whose streams can be replicated.
package natstest

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
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

// StartNode starts a NATS server with JetStream on a temporary directory
// inside the test process, and shuts it down when t ends.
func StartNode(t testing.TB, opts *server.Options) *server.Server {
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

// RunServer starts one NATS node with JetStream.
func RunServer(t testing.TB) *server.Server {
	return StartNode(t, &server.Options{ServerName: "n1"})
}

// RunCluster starts n routed NATS nodes with JetStream clustering and waits
// until they elected a meta leader.
func RunCluster(t testing.TB, n int) []*server.Server {
	t.Helper()
	ports := make([]int, n)
	routes := make([]string, n)
	for i := range ports {
		ports[i] = freePort(t)
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", ports[i])
	}
	nodes := make([]*server.Server, n)
	for i := range nodes {
		nodes[i] = StartNode(t, &server.Options{
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

// URLs returns the client URLs of nodes, first first.
func URLs(nodes []*server.Server, first int) string {
	var out []string
	for i := range nodes {
		out = append(out, nodes[(first+i)%len(nodes)].ClientURL())
	}
	return strings.Join(out, ",")
}
