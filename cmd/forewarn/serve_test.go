package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/sqlite"
)

// serveProc is a running "forewarn serve" process.
type serveProc struct {
	cmd    *exec.Cmd
	url    string
	stdout string // what the process printed before it logged its address
	// keyFile is where a first start writes the admin key, as stdout is
	// not a terminal.
	keyFile string
}

// adminKey returns the admin key the first start wrote to p.keyFile.
func (p *serveProc) adminKey(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(p.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(p.keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	key := regexp.MustCompile(`fwk_[a-z2-7]+`).FindString(string(b))
	if key == "" || !strings.Contains(string(b), "/#key="+key) {
		t.Fatalf("key file holds no key and sign-in link:\n%s", b)
	}
	return key
}

var urlRe = regexp.MustCompile(`url=(http://\S+)`)

// startServe starts bin on db, with extra flags, and waits until it logs
// its address.
func startServe(t *testing.T, bin, db string, extra ...string) *serveProc {
	t.Helper()
	keyFile := filepath.Join(filepath.Dir(bin), "admin.key")
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--rate", "-1", "--addr-rate", "-1", "--admin-key-file", keyFile}, extra...)...)
	out, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout = out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := urlRe.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			printed, err := os.ReadFile(out.Name())
			if err != nil {
				t.Fatal(err)
			}
			p := &serveProc{cmd: cmd, url: m[1], stdout: string(printed), keyFile: keyFile}
			p.waitHealthy(t)
			return p
		}
	}
	t.Fatalf("serve exited before it logged its address: %v", sc.Err())
	return nil
}

func (p *serveProc) waitHealthy(t *testing.T) {
	t.Helper()
	for range 500 {
		if resp, err := http.Get(p.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("serve never became healthy")
}

type answer struct {
	status int
	body   []byte
}

func call(url, key, method, path, body, idem string) (answer, error) {
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b}, err
}

func commentID(t *testing.T, b []byte) string {
	t.Helper()
	var c struct{ ID string }
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" {
		t.Fatalf("comment answer %s: %v", b, err)
	}
	return c.ID
}

// TestDurability kills a real server with SIGKILL in the middle of a burst
// of comments and moderator decisions, starts it again on the same database
// and checks that every request answered 2xx was kept, and none twice.
func TestDurability(t *testing.T) {
	dir, bin := buildForewarn(t)
	db := filepath.Join(dir, "forewarn.db")
	p := startServe(t, bin, db)
	// Stdout is a file, not a terminal: the key goes to a private file.
	if strings.Contains(p.stdout, "fwk_") || !strings.Contains(p.stdout, "/moderate") || !strings.Contains(p.stdout, "keys create --role moderator") {
		t.Fatalf("first start printed a key, or no pages and key advice:\n%s", p.stdout)
	}
	key := p.adminKey(t)

	if a, err := call(p.url, key, "POST", "/v1/posts", `{"id":"p1","text":"Her funeral is on Monday."}`, ""); err != nil || a.status != 201 {
		t.Fatalf("create post: %d %s %v", a.status, a.body, err)
	}
	// Held comments for the moderators to decide during the burst.
	const nHeld = 400
	held := make([]string, nHeld)
	for i := range held {
		a, err := call(p.url, key, "POST", "/v1/posts/p1/comments", fmt.Sprintf(`{"text":"what an idiot number %d","author":"h"}`, i), fmt.Sprint("held-", i))
		if err != nil || a.status != 201 {
			t.Fatalf("held comment: %d %s %v", a.status, a.body, err)
		}
		held[i] = commentID(t, a.body)
	}

	// The burst: writers post comments, deciders work through the held ones.
	const writers, perWriter = 12, 400
	var (
		mu        sync.Mutex
		okComment = map[string]string{} // idempotency key -> comment id, for 2xx answers
		sent      = map[string]string{} // every idempotency key sent -> body
		okDecided = map[string]bool{}
		successes atomic.Int64
		decided   atomic.Int64
		killed    atomic.Bool
		wg        sync.WaitGroup
	)
	texts := []string{"Thinking of you all.", "What an attention seeker.", "So sorry, that is damn hard.", "She was a moron to go out."}
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				idem := fmt.Sprintf("burst-%d-%d", w, i)
				body := fmt.Sprintf(`{"text":%q,"author":"w%d"}`, texts[i%len(texts)], w)
				mu.Lock()
				sent[idem] = body
				mu.Unlock()
				a, err := call(p.url, key, "POST", "/v1/posts/p1/comments", body, idem)
				if err != nil {
					return // the server is gone
				}
				if a.status/100 == 2 {
					mu.Lock()
					okComment[idem] = commentID(t, a.body)
					mu.Unlock()
					successes.Add(1)
				}
			}
		})
	}
	for d := range 2 {
		wg.Go(func() {
			for i := d; i < nHeld; i += 2 {
				action := []string{"approve", "reject"}[i%2]
				a, err := call(p.url, key, "POST", "/v1/comments/"+held[i]+"/decision", fmt.Sprintf(`{"action":%q,"note":"burst"}`, action), "")
				if err != nil {
					return
				}
				if a.status == 200 {
					mu.Lock()
					okDecided[held[i]] = true
					mu.Unlock()
					decided.Add(1)
				}
			}
		})
	}
	wg.Go(func() {
		// Kill once both kinds of request are well under way.
		for successes.Load() < writers*perWriter/4 || decided.Load() < nHeld/4 {
			time.Sleep(time.Millisecond)
		}
		p.cmd.Process.Signal(syscall.SIGKILL)
		killed.Store(true)
	})
	wg.Wait()
	if !killed.Load() {
		t.Fatal("the burst ended before the kill")
	}
	p.cmd.Wait()
	t.Logf("before the kill: %d of %d comments and %d of %d decisions answered 2xx", len(okComment), len(sent), len(okDecided), nHeld)
	if len(okComment) == len(sent) {
		t.Fatal("the kill came after the burst; nothing was tested")
	}

	p = startServe(t, bin, db)
	if strings.Contains(p.stdout, "fwk_") {
		t.Errorf("second start printed a new admin key:\n%s", p.stdout)
	}
	if !strings.Contains(p.stdout, p.url+"/moderate") {
		t.Errorf("second start did not print the page addresses:\n%s", p.stdout)
	}
	// Every comment answered 2xx is there: replaying its key returns it.
	// Replaying the others stores them now, once.
	ids := map[string]string{}
	for idem, body := range sent {
		a, err := call(p.url, key, "POST", "/v1/posts/p1/comments", body, idem)
		if err != nil {
			t.Fatal(err)
		}
		id := commentID(t, a.body)
		if want, ok := okComment[idem]; ok && (a.status != 200 || id != want) {
			t.Errorf("%s: answered %s before the kill, now %d %s", idem, want, a.status, id)
		}
		if prev, dup := ids[id]; dup {
			t.Errorf("%s and %s share comment %s", prev, idem, id)
		}
		ids[id] = idem
	}
	// Every decision answered 200 is kept: deciding again is a conflict.
	for id := range okDecided {
		a, err := call(p.url, key, "POST", "/v1/comments/"+id+"/decision", `{"action":"approve"}`, "")
		if err != nil || a.status != 409 {
			t.Errorf("decided %s before the kill; deciding again: %d %s %v", id, a.status, a.body, err)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}

	// Count the rows: nothing stored twice.
	ctx := context.Background()
	raw, err := sql.Open("sqlite", db+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE post_id = 'p1'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != nHeld+len(sent) {
		t.Errorf("%d comments stored, want %d held + %d sent", n, nHeld, len(sent))
	}
	store, err := sqlite.Open(ctx, db, slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, id := range held {
		audit, err := store.Audit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c, err := store.Comment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(audit) > 1:
			t.Errorf("%s decided %d times", id, len(audit))
		case okDecided[id] && len(audit) != 1:
			t.Errorf("%s: decision answered 200 but no audit entry", id)
		case len(audit) == 1 && c.Status != audit[0].To:
			t.Errorf("%s: status %s, audit says %s", id, c.Status, audit[0].To)
		case len(audit) == 0 && c.Status != forewarn.StatusHeld:
			t.Errorf("%s: status %s without a decision", id, c.Status)
		}
	}
}
