// Command soak runs "forewarn serve" on loopback under mixed load for a
// bounded time while killing it with SIGKILL and starting it again, then
// checks that every write the server acknowledged is stored exactly once.
// Before the soak it sends a flood of concurrent 1 MB warning requests and
// reports the server's peak memory and the statuses they got.
//
// bench/soak.sh builds forewarn and runs it; see there for the flags.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	bin := flag.String("bin", "", "forewarn binary (required)")
	duration := flag.Duration("duration", time.Minute, "how long the soak runs (at most 10m)")
	killEvery := flag.Duration("kill-every", 12*time.Second, "SIGKILL the server this often during the soak")
	conns := flag.Int("conns", 16, "wrk connections for each of the comment and nudge loads")
	writers := flag.Int("writers", 4, "clients that post checked comments, retrying with the same Idempotency-Key until acknowledged")
	flood := flag.Int("flood", 64, "concurrent 1 MB warning requests sent before the soak (0: none)")
	lua := flag.String("lua", "bench/comments.lua", "wrk script")
	flag.Parse()
	if *bin == "" || *duration <= 0 || *duration > 10*time.Minute {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*bin, *duration, *killEvery, *conns, *writers, *flood, *lua); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// server is the forewarn serve process, restarted on the same address and
// database.
type server struct {
	bin, dir, db, addr string
	mu                 sync.Mutex
	cmd                *exec.Cmd
	starts             int
}

func (s *server) url() string { return "http://" + s.addr }

func (s *server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	log, err := os.OpenFile(filepath.Join(s.dir, "serve.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command(s.bin, "serve", "--addr", s.addr, "--db", s.db, "--rate", "-1", "--addr-rate", "-1",
		"--admin-key-file", filepath.Join(s.dir, "admin.key"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	s.starts++
	for range 300 {
		if resp, err := http.Get(s.url() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("server not ready after 6 s; see serve.log")
}

// kill stops the server with sig and waits for it.
func (s *server) kill(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.cmd.Process.Signal(sig)
		s.cmd.Wait()
		s.cmd = nil
	}
}

func (s *server) pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

func run(bin string, duration, killEvery time.Duration, conns, writers, flood int, lua string) error {
	dir, err := os.MkdirTemp("", "forewarn-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free loopback port, kept across restarts
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{bin: bin, dir: dir, db: filepath.Join(dir, "soak.db"), addr: addr}
	if err := s.start(); err != nil {
		return err
	}
	defer s.kill(syscall.SIGKILL)
	b, err := os.ReadFile(filepath.Join(dir, "admin.key"))
	if err != nil {
		return err
	}
	key := regexp.MustCompile(`fwk_[a-z2-7]+`).FindString(string(b))
	if st, _ := post(s.url(), key, "/v1/posts", `{"id":"soak","text":"We said goodbye to him at the funeral on Friday. Thank you for the flowers."}`, ""); st != 201 {
		return fmt.Errorf("create post: status %d", st)
	}

	if flood > 0 {
		floodWarnings(s, key, flood)
	}

	fmt.Printf("== soak: %s of mixed load on %s (wrk %d+%d connections, %d checked writers), SIGKILL every %s\n",
		duration, addr, conns, conns, writers, killEvery)
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	type wrkOut struct {
		name string
		out  []byte
		err  error
	}
	wrks := make(chan wrkOut, 2)
	for _, w := range []struct{ name, path, nudge string }{{"comments", "/v1/posts/soak/comments", "0"}, {"nudge", "/v1/nudge", "1"}} {
		go func() {
			cmd := exec.Command("wrk", "-t1", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(int(duration.Seconds()))+"s", "--latency", "-s", lua, s.url()+w.path)
			cmd.Env = append(os.Environ(), "KEY="+key, "POST=soak", "NUDGE="+w.nudge)
			out, err := cmd.CombinedOutput()
			wrks <- wrkOut{w.name, out, err}
		}()
	}
	acked := map[string]string{} // Idempotency-Key -> comment id, for 2xx answers
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				k := fmt.Sprintf("soak-%d-%d", w, i)
				body := fmt.Sprintf(`{"text":"checked comment %s, you idiot","author":"writer %d"}`, k, w)
				// Retry the same key until it is acknowledged, as a client must.
				for ctx.Err() == nil {
					st, resp := post(s.url(), key, "/v1/posts/soak/comments", body, k)
					if st == 200 || st == 201 {
						var c struct{ ID string }
						json.Unmarshal(resp, &c)
						mu.Lock()
						acked[k] = c.ID
						mu.Unlock()
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}
	kills := 0
	tick := time.NewTicker(killEvery)
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			s.kill(syscall.SIGKILL)
			kills++
			if err := s.start(); err != nil {
				return err
			}
		}
	}
	tick.Stop()
	wg.Wait()
	var rps float64
	var p99 time.Duration
	for range 2 {
		w := <-wrks
		r, p, errs := parseWrk(w.out)
		if w.err != nil || r == 0 {
			return fmt.Errorf("wrk %s: %v\n%s", w.name, w.err, w.out)
		}
		fmt.Printf("wrk %-8s requests/s %.0f  p99 %s  (%s)\n", w.name, r, p, errs)
		rps += r
		p99 = max(p99, p)
	}
	s.kill(syscall.SIGTERM)

	lost, dups, stored, err := check(s.db, acked)
	if err != nil {
		return err
	}
	fmt.Printf("requests/s %.0f (both loads)  p99 %s (worst of the two)\n", rps, p99)
	fmt.Printf("server killed %d times; checked writes acknowledged %d, stored %d, acknowledged writes lost %d, duplicates %d\n",
		kills, len(acked), stored, lost, dups)
	if lost > 0 || dups > 0 {
		return fmt.Errorf("%d acknowledged writes lost, %d duplicated", lost, dups)
	}
	return nil
}

// floodWarnings sends n concurrent warning requests of about 1 MB each and
// prints the statuses they got and the server's peak resident memory.
func floodWarnings(s *server, key string, n int) {
	text := strings.Repeat("She described the months after the miscarriage as the hardest of her life. ", 1_000_000/76)
	body := `{"text":"` + text + `"}`
	fmt.Printf("== flood: %d concurrent POST /v1/warnings of %d bytes\n", n, len(body))
	pid := s.pid()
	stop := make(chan struct{})
	peak := make(chan int64)
	go func() {
		var top int64
		for {
			top = max(top, rss(pid))
			select {
			case <-stop:
				peak <- max(top, rss(pid))
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Go(func() {
			st, _ := post(s.url(), key, "/v1/warnings", body, "")
			mu.Lock()
			statuses[st]++
			mu.Unlock()
		})
	}
	wg.Wait()
	close(stop)
	var codes []string
	for c, k := range statuses {
		codes = append(codes, fmt.Sprintf("%d×%d", k, c))
	}
	sort.Strings(codes)
	fmt.Printf("answers in %s: %s (0 means no answer); server peak RSS %d MB\n", time.Since(start).Round(time.Millisecond), strings.Join(codes, ", "), <-peak>>20)
}

// rss returns the resident memory of process pid in bytes, from /proc.
func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// post sends a JSON POST and returns the status (0: no answer) and body.
func post(url, key, path, body, idem string) (int, []byte) {
	req, err := http.NewRequest("POST", url+path, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var (
	rpsRe = regexp.MustCompile(`requests/s: (\d+)`)
	p99Re = regexp.MustCompile(`p99: ([\d.]+) ms`)
	errRe = regexp.MustCompile(`errors: [^\n]*`)
)

// parseWrk reads the figures bench/comments.lua prints.
func parseWrk(out []byte) (rps float64, p99 time.Duration, errs string) {
	if m := rpsRe.FindSubmatch(out); m != nil {
		rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := p99Re.FindSubmatch(out); m != nil {
		ms, _ := strconv.ParseFloat(string(m[1]), 64)
		p99 = time.Duration(ms * float64(time.Millisecond))
	}
	return rps, p99, string(errRe.Find(out))
}

// check reads the database after the soak: an acknowledged write is lost
// when no comment holds its key's text or the stored one has another id,
// and duplicated when more than one does.
func check(path string, acked map[string]string) (lost, dups, stored int, err error) {
	db, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		return 0, 0, 0, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT text, id FROM comments WHERE text LIKE 'checked comment %'`)
	if err != nil {
		return 0, 0, 0, err
	}
	defer rows.Close()
	byKey := map[string][]string{}
	keyRe := regexp.MustCompile(`soak-\d+-\d+`)
	for rows.Next() {
		var text, id string
		if err := rows.Scan(&text, &id); err != nil {
			return 0, 0, 0, err
		}
		k := keyRe.FindString(text)
		byKey[k] = append(byKey[k], id)
		stored++
	}
	if err := rows.Err(); err != nil {
		return 0, 0, 0, err
	}
	for k, ids := range byKey {
		if len(ids) > 1 {
			dups += len(ids) - 1
			fmt.Printf("duplicate: %s stored as %v\n", k, ids)
		}
	}
	for k, id := range acked {
		if ids := byKey[k]; len(ids) == 0 || !bytes.Equal([]byte(ids[0]), []byte(id)) {
			lost++
			fmt.Printf("lost: %s acknowledged as %s, stored as %v\n", k, id, ids)
		}
	}
	return lost, dups, stored, nil
}
