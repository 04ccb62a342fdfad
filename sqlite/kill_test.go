package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

// killChildEnv names the database file when the test binary runs as the
// writer that TestDurableAfterKill kills.
const killChildEnv = "FOREWARN_SQLITE_KILL_CHILD"

// TestDurableAfterKill runs concurrent writers in a child process, kills it
// with SIGKILL once it has acknowledged enough writes, and checks that every
// acknowledged comment and decision is in the file, once.
func TestDurableAfterKill(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		killChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "kill.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurableAfterKill$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const acksBeforeKill = 3000
	created := map[string]string{} // idempotency key -> comment id
	decided := map[string]bool{}
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 3 && f[0] == "created":
			created[f[1]] = f[2]
		case len(f) == 2 && f[0] == "decided":
			decided[f[1]] = true
		default:
			t.Fatalf("child said %q", sc.Text())
		}
		if !killed && len(created) >= acksBeforeKill {
			// Lines already in the pipe were acknowledged too; keep reading.
			cmd.Process.Kill()
			killed = true
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatalf("child stopped after %d writes without being killed", len(created))
	}

	db, err := sqlite.Open(context.Background(), path, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for key, id := range created {
		c, existed, err := db.CreateComment(ctx, &forewarn.Comment{PostID: "kill", Text: "replay", Decision: forewarn.Hold}, forewarn.IdempotencyKey{KeyID: "k-kill", Key: key})
		if err != nil || !existed || c.ID != id {
			t.Fatalf("acknowledged %s under %s; replay gave %v existed=%v err=%v", id, key, c, existed, err)
		}
		// An undecided comment may still be approved: the child can die
		// between a decision's commit and its acknowledgement.
		if decided[id] && c.Status != forewarn.StatusApproved {
			t.Fatalf("acknowledged decision on %s lost: status %s", id, c.Status)
		}
	}
	t.Logf("%d comments and %d decisions acknowledged before SIGKILL, all present after reopening", len(created), len(decided))
}

// killChild writes until it is killed, printing each acknowledged write.
func killChild(path string) {
	db, err := sqlite.Open(context.Background(), path, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(os.Stdout, format, args...)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			// Bounded, so that a parent that fails to kill does not leave a
			// writer running for ever.
			for i := range 100000 {
				key := fmt.Sprintf("w%d-%d", w, i)
				c, _, err := db.CreateComment(context.Background(), &forewarn.Comment{PostID: "kill", Text: "burst " + key, Decision: forewarn.Hold}, forewarn.IdempotencyKey{KeyID: "k-kill", Key: key})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				say("created %s %s\n", key, c.ID)
				if i%5 == 0 {
					if _, err := db.Decide(context.Background(), c.ID, forewarn.AuditEntry{Actor: "mod", Action: forewarn.Approve}); err != nil {
						fmt.Fprintln(os.Stderr, err)
						os.Exit(1)
					}
					say("decided %s\n", c.ID)
				}
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}
