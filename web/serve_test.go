package web

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPagesOnServe runs the same browser paths against a real
// "forewarn serve" on a fresh database, signed in with the admin key that
// its first start prints, as a new user would be.
func TestPagesOnServe(t *testing.T) {
	browser := newBrowser(t)
	if testing.Short() {
		t.Skip("builds and runs forewarn serve; skipped in -short mode")
	}
	s := startServe(t)
	shots := filepath.Join(screenshotDir(t), "serve")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Run("writer", func(t *testing.T) { testWriter(t, browser, s, shots) })
	t.Run("comments", func(t *testing.T) { testComments(t, browser, s, shots) })
	t.Run("moderate", func(t *testing.T) { testModerate(t, browser, s, shots) })
	t.Run("site page", func(t *testing.T) { testSitePage(t, browser, s, shots) })
}

var (
	servingAt = regexp.MustCompile(`serving at (http://\S+)`)
	keyRe     = regexp.MustCompile(`fwk_[a-z2-7]+`)
)

// startServe builds the command, starts "forewarn serve" on a free port
// and reads the address and the first admin key from what it prints.
func startServe(t *testing.T) site {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build forewarn serve")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "forewarn")
	build := exec.Command(goTool, "build", "-o", bin, "../cmd/forewarn")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build forewarn: %v\n%s", err, out)
	}
	if out, _ := exec.Command(bin, "help", "serve").CombinedOutput(); !strings.Contains(string(out), "--addr") {
		t.Skip("this forewarn has no serve command yet")
	}
	ctx, cancel := context.WithCancel(context.Background())
	// With stdout not a terminal, the first start writes the admin key to
	// a file only its owner can read instead of printing it.
	keyFile := filepath.Join(dir, "admin.key")
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "forewarn.db"), "--admin-key-file", keyFile)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Stderr = logWriter{t}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
	})
	var s site
	sc := bufio.NewScanner(out)
	for s.url == "" && sc.Scan() {
		if m := servingAt.FindStringSubmatch(sc.Text()); m != nil {
			s.url = m[1]
		}
	}
	go func() { // keep the pipe drained
		for sc.Scan() {
		}
	}()
	if s.url == "" {
		t.Fatal("forewarn serve printed no address")
	}
	for deadline := time.Now().Add(20 * time.Second); s.key == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(keyFile)
		s.key = keyRe.FindString(string(b))
	}
	if s.key == "" {
		t.Fatalf("forewarn serve wrote no admin key to %s", keyFile)
	}
	return s
}

// logWriter sends a process's log lines to the test log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(b []byte) (int, error) {
	w.t.Logf("serve: %s", strings.TrimRight(string(b), "\n"))
	return len(b), nil
}
