package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser tests drive the pages in headless Chromium with real clicks
// and typing. They need a Chromium binary named by FOREWARN_CHROMIUM and
// write screenshots to FOREWARN_SCREENSHOTS (or a temporary folder).

const testKey = "test-key-3f9a"

// newBrowser starts Chromium for the whole test and returns a context that
// owns it. Each page gets its own tab from newTab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := os.Getenv("FOREWARN_CHROMIUM")
	if exe == "" {
		t.Skip("FOREWARN_CHROMIUM is not set: skipping browser tests (set it to a Chromium binary, e.g. the one from Debian's chromium package)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// tab is one browser tab on the site under test.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string
}

func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	// A stuck page fails the test instead of hanging it.
	ctx, cancelTimeout := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	p := &tab{t: t, ctx: ctx, base: base}
	// Uncaught exceptions and content security policy reports fail the test.
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Source == "security" || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				msg = "security: " + ev.Entry.Text
			}
		}
		if msg != "" {
			p.mu.Lock()
			p.problems = append(p.problems, msg)
			p.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, struct{}{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, m := range p.problems {
			t.Errorf("page reported %s", m)
		}
	})
	return p
}

func (p *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("%v (page text: %q)", err, p.bodyText())
	}
}

func (p *tab) bodyText() string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), 2*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ""`))
	return s
}

func eval[T any](p *tab, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the JavaScript expression is truthy.
func (p *tab) waitFor(expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		p.t.Fatalf("wait for %s: %v (page text: %q)", expr, err, p.bodyText())
	}
}

func (p *tab) text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

func (p *tab) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + path))
	p.waitFor(`document.readyState === "complete"`)
}

// signIn types the key into the page's sign-in form.
func (p *tab) signIn(key string) {
	p.t.Helper()
	p.do(
		chromedp.WaitVisible(chromedp.CSS("#signin-key")),
		chromedp.SendKeys(chromedp.CSS("#signin-key"), key),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
	)
	p.waitFor(`!document.querySelector("#app").hidden || !document.querySelector("#signin-error").hidden`)
}

// screenshots writes the whole page at desktop and phone widths.
func (p *tab) screenshots(dir, name string) {
	p.t.Helper()
	for _, v := range []struct {
		suffix        string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 800, false}, {"phone", 390, 844, true}} {
		opts := []chromedp.EmulateViewportOption{}
		if v.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		p.do(chromedp.EmulateViewport(v.width, v.height, opts...))
		h := eval[float64](p, `document.documentElement.scrollHeight`)
		// Fit the viewport to the page so that fixed elements sit where a
		// reader would see them after scrolling to the end.
		p.do(chromedp.EmulateViewport(v.width, int64(math.Max(float64(v.height), h)), opts...))
		// Let the page lay out and paint at the new size.
		p.do(chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise))
		buf, err := chromedp.Call(p.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
		if err != nil {
			p.t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+v.suffix+".png"), buf.Data, 0o644); err != nil {
			p.t.Fatal(err)
		}
		// A page wider than the phone means sideways scrolling.
		if w := eval[float64](p, `document.documentElement.scrollWidth`); w > float64(v.width) {
			p.t.Errorf("%s is %v px wide at %d px", name, w, v.width)
		}
	}
	p.do(chromedp.EmulateViewport(1280, 800))
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("FOREWARN_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "forewarn-screenshots-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// site serves the pages and an API on one origin, as forewarn serve does.
type site struct {
	url string
	key string
	// exact is true when the API is the fake, whose evidence the test knows.
	exact bool
}

func fakeSite(t *testing.T) (site, *fakeAPI) {
	api := newFakeAPI(testKey)
	mux := http.NewServeMux()
	mux.Handle("/v1/", api)
	mux.Handle("/", Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return site{url: srv.URL, key: testKey, exact: true}, api
}

func TestPagesInBrowser(t *testing.T) {
	browser := newBrowser(t)
	shots := screenshotDir(t)
	s, _ := fakeSite(t)
	t.Run("writer", func(t *testing.T) { testWriter(t, browser, s, shots) })
	t.Run("comments", func(t *testing.T) { testComments(t, browser, s, shots) })
	t.Run("moderate", func(t *testing.T) { testModerate(t, browser, s, shots) })
	t.Run("site page", func(t *testing.T) { testSitePage(t, browser, s, shots) })
	t.Run("bad key", func(t *testing.T) { testBadKey(t, browser, s) })
	t.Run("byte offsets", func(t *testing.T) { testByteMapper(t, browser, s) })
}

// Texts written for these tests. The writer's text puts accented letters,
// curly quotes and an emoji before the evidence, so that a page mixing up
// bytes and UTF-16 units marks the wrong words. The hostile comments here
// and in the queue tests are plain insults that the embedded insult head
// holds far above its threshold (0.85 and up), so that a retrained model
// does not break a test of the pages; how well the models decide subtler
// comments is measured by "forewarn eval --task moderate", not here.
const (
	articleText = "Zoë’s grandmother died in the spring 🌷 after a long illness.\n\n" +
		"The funeral was small. Café owners on her street closed for the afternoon.\n\n" +
		"Months later the family still talks about grief as something you carry, not something you finish."
	hostileComment = "Honestly you sound like a pathetic idiot. Everyone loses a parent, get over it."
	kindComment    = "I'm so damn sorry. My mum went two years ago and the first spring was the hardest."
	riskComment    = "I lost my brother last year and some nights I just want to end it all."
)

func testWriter(t *testing.T, browser context.Context, s site, shots string) {
	p := newTab(t, browser, s.url)
	p.open("/")
	p.screenshots(shots, "writer-signin")
	p.signIn(s.key)
	p.do(
		chromedp.SendKeys(chromedp.CSS("#article"), articleText),
		chromedp.Click(chromedp.CSS("#check")),
		chromedp.WaitVisible(chromedp.CSS("#results")),
	)
	p.waitFor(`[...document.querySelectorAll(".line-row:not([hidden]) .line")].some(l => l.textContent !== "")`)
	if got := eval[string](p, `document.querySelector("#article").value`); got != articleText {
		t.Fatalf("typed text = %q", got)
	}
	lines := eval[map[string]string](p, `Object.fromEntries([...document.querySelectorAll(".line-row:not([hidden])")].map(r => [r.dataset.style, r.querySelector(".line").textContent]))`)
	if s.exact && len(lines) != 3 {
		t.Errorf("lines shown: %q, want news, note and tags", lines)
	}
	for style, line := range lines {
		if !strings.Contains(strings.ToLower(line), "grief") {
			t.Errorf("%s line = %q, want it to name grief", style, line)
		}
	}
	marks := eval[[]string](p, `[...document.querySelectorAll("#marked mark")].map(m => m.textContent)`)
	if s.exact {
		want := []string{"died", "funeral", "grief"}
		if strings.Join(marks, "|") != strings.Join(want, "|") {
			t.Errorf("marked %q, want %q", marks, want)
		}
		if got := p.text("#marked"); got != articleText {
			t.Errorf("marked text = %q, want the article unchanged", got)
		}
	} else if len(marks) == 0 {
		t.Error("no evidence marked")
	}
	if topics := p.text("#topics"); !strings.Contains(strings.ToLower(topics), "grief") {
		t.Errorf("topics = %q", topics)
	}

	// Keyboard focus on a mark shows its topic and prominence.
	p.do(chromedp.Focus(chromedp.CSS("#marked mark")))
	tip := eval[string](p, `getComputedStyle(document.querySelector("#marked mark"), "::after").content`)
	// The fake API's first mark is grief at discussion; the real detector
	// may list another topic first, so only its shape is checked there.
	if s.exact && (!strings.Contains(strings.ToLower(tip), "grief") || !strings.Contains(tip, "discussion")) ||
		!s.exact && !strings.Contains(tip, " · ") {
		t.Errorf("tooltip on focus = %s", tip)
	}
	if d := eval[string](p, `document.querySelector("#marked mark").getAttribute("aria-describedby")`); d != "topic-0" {
		t.Errorf("mark described by %q", d)
	}
	p.screenshots(shots, "writer") // with the focused mark's topic showing

	copyButton := `.line-row:not([hidden]) button[data-copy]`
	p.do(chromedp.Click(chromedp.CSS(copyButton)))
	p.waitFor(`document.querySelector("#status").textContent.startsWith("Copied the")`)
	if b := p.text(copyButton); b != "Copied" {
		t.Errorf("copy button says %q", b)
	}
}

func testComments(t *testing.T, browser context.Context, s site, shots string) {
	p := newTab(t, browser, s.url)
	// The sign-in link that the server prints puts the key in the fragment.
	p.open("/demo/comments#key=" + s.key)
	p.do(chromedp.WaitVisible(chromedp.CSS("#app")))
	if h := eval[string](p, `location.hash`); h != "" {
		t.Errorf("key left in the address bar: %q", h)
	}
	p.waitFor(`!document.querySelector("#post-line").hidden`)

	// A hostile comment gets the nudge with the hurtful words marked.
	p.do(
		chromedp.SendKeys(chromedp.CSS("#author"), "Sam"),
		chromedp.SendKeys(chromedp.CSS("#comment"), hostileComment),
		chromedp.Click(chromedp.CSS("#post")),
		chromedp.WaitVisible(chromedp.CSS("#nudge")),
	)
	if msg := p.text("#nudge-message"); msg != nudgeMessage && s.exact || msg == "" {
		t.Errorf("nudge message = %q", msg)
	}
	marks := eval[[]string](p, `[...document.querySelectorAll("#nudge-marked mark")].map(m => m.textContent)`)
	if s.exact && strings.Join(marks, "|") != "pathetic|get over it" {
		t.Errorf("marked %q", marks)
	}
	if len(marks) == 0 {
		t.Error("no hurtful words marked")
	}
	if focused := eval[string](p, `document.activeElement.id`); focused != "nudge" {
		t.Errorf("focus on %q after the nudge, want the nudge", focused)
	}
	p.screenshots(shots, "comments-nudge")

	// Edit goes back to the box; posting anyway gets the comment held.
	p.do(chromedp.Click(chromedp.CSS("#edit")))
	if focused := eval[string](p, `document.activeElement.id`); focused != "comment" {
		t.Errorf("focus on %q after Edit", focused)
	}
	p.do(
		chromedp.Click(chromedp.CSS("#post")),
		chromedp.WaitVisible(chromedp.CSS("#nudge")),
		chromedp.Click(chromedp.CSS("#anyway")),
		chromedp.WaitVisible(chromedp.CSS("#decision")),
	)
	if d := eval[string](p, `document.querySelector("#decision [data-decision]").dataset.decision`); d != "hold" {
		t.Errorf("decision = %q, want hold", d)
	}

	// A kind comment that swears is published without a nudge.
	p.do(
		chromedp.SendKeys(chromedp.CSS("#comment"), kindComment),
		chromedp.Click(chromedp.CSS("#post")),
	)
	p.waitFor(`document.querySelector("#decision [data-decision=publish]")`)
	if !eval[bool](p, `document.querySelector("#nudge").hidden`) {
		t.Error("kind comment was nudged")
	}

	// A commenter at risk sees support, never a rebuke.
	p.do(
		chromedp.SendKeys(chromedp.CSS("#comment"), riskComment),
		chromedp.Click(chromedp.CSS("#post")),
		chromedp.WaitVisible(chromedp.CSS("#support")),
	)
	p.waitFor(`document.querySelector("#decision [data-decision=support]")`)
	// The page shows the site's own support text, the one the API serves,
	// and names no crisis line of its own.
	var site struct{ Text string }
	seed := apiClient{t: t, base: s.url, key: s.key}
	if st := seed.call("GET", "/v1/support", nil, "", &site); st != 200 {
		t.Fatalf("GET /v1/support: %d", st)
	}
	if got := p.text("#support"); !strings.Contains(got, site.Text) || strings.Contains(got, "988") && !strings.Contains(site.Text, "988") {
		t.Errorf("support box = %q, want the API's text %q and nothing else", got, site.Text)
	}
	if s.exact && p.text("#support-text") != supportText {
		t.Errorf("support text = %q", p.text("#support-text"))
	}
	if n := eval[int](p, `document.querySelectorAll("#thread li").length`); n != 3 {
		t.Errorf("thread has %d comments, want 3", n)
	}
	p.screenshots(shots, "comments-support")
}

func testModerate(t *testing.T, browser context.Context, s site, shots string) {
	seed := apiClient{t: t, base: s.url, key: s.key}
	seed.post("grief-mod", articleText)
	first := seed.comment("grief-mod", "Rowan", "Weinend am Grab — what a pathetic idiot, get over it.")
	second := seed.comment("grief-mod", "Kit", "Shut up, you stupid attention seeker.")
	risk := seed.comment("grief-mod", "Ash", "Since the funeral I want to end it all.")

	p := newTab(t, browser, s.url)
	p.open("/moderate")
	p.signIn(s.key)
	p.waitFor(`document.querySelectorAll("#queue .item").length >= 3`)

	// A page loaded with a key in the tab shows the queue at once, not at
	// the first poll (every 5 s): the time is the page's own, from the start
	// of navigation.
	p.do(chromedp.Reload())
	p.waitFor(`document.querySelectorAll("#queue .item").length >= 3`)
	if ms := eval[float64](p, `performance.now()`); ms >= 4000 {
		t.Errorf("queue showed %.0f ms after the page started loading, want it before the first poll at 5000 ms", ms)
	}

	// A commenter who may be at risk comes first, marked and with the
	// support actions instead of approve and reject.
	supportFirst := eval[bool](p, `document.querySelector("#queue .item").classList.contains("support")`)
	if s.exact && !supportFirst {
		t.Errorf("first item is %q, want the support item", eval[string](p, `document.querySelector("#queue .item").dataset.id`))
	}
	if supportFirst {
		if order := eval[string](p, `[...document.querySelectorAll("#queue .item")].map(li => li.classList.contains("support") ? "s" : "h").join("")`); strings.Contains(order, "hs") {
			t.Errorf("queue order %q (s: support, h: held), want every support item first", order)
		}
		buttons := eval[[]string](p, `[...document.querySelectorAll("#queue .item.support:first-child .actions button")].map(b => b.className)`)
		if got := strings.Join(buttons, "|"); got != "reached-out|escalated|resolved|approve secondary" {
			t.Errorf("support item buttons %q", got)
		}
		if n := eval[int](p, `document.querySelectorAll("#queue .item.support:first-child button.reject").length`); n != 0 {
			t.Errorf("support item has a reject button")
		}
		if note := p.text("#queue .item.support .support-note"); !strings.Contains(note, "at risk") {
			t.Errorf("support note %q", note)
		}
		// Held items carry approve and reject only.
		if n := eval[int](p, `document.querySelectorAll("#queue .item:not(.support) button.reached-out").length`); n != 0 {
			t.Errorf("%d held items offer support actions", n)
		}
	}
	if s.exact {
		marks := eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll('#queue [data-id=%q] mark')].map(m => m.textContent)`, first))
		if strings.Join(marks, "|") != "pathetic|get over it" {
			t.Errorf("marked %q", marks)
		}
		if n := eval[int](p, `document.querySelectorAll("#queue .item.support").length`); n < 1 {
			t.Errorf("%d support items, want at least 1", n)
		}
	}
	p.screenshots(shots, "moderate")

	// Approve with a note by clicking.
	item := fmt.Sprintf(`#queue [data-id=%q]`, first)
	p.do(
		chromedp.SendKeys(chromedp.CSS(item+" .note"), "Grief can sound harsh; reads as venting"),
		chromedp.Click(chromedp.CSS(item+" button.approve")),
		chromedp.WaitNotPresent(chromedp.CSS(item)),
	)
	p.waitFor(`document.querySelector("#status").textContent.startsWith("Approved")`)
	if q := seed.queue(); q[first] {
		t.Errorf("approved comment %s still queued", first)
	}

	// Reject from the keyboard: focus has moved to the next item.
	if sel := eval[string](p, `document.activeElement.dataset.id || ""`); sel != second {
		t.Fatalf("focus on %q after approving, want %q", sel, second)
	}
	p.do(chromedp.KeyEvent("r"))
	p.do(chromedp.WaitNotPresent(chromedp.CSS(fmt.Sprintf(`#queue [data-id=%q]`, second))))
	if q := seed.queue(); q[second] {
		t.Errorf("rejected comment %s still queued", second)
	}

	// j and k move between items.
	late := seed.comment("grief-mod", "Lee", "Get lost, you pathetic attention seeker.")
	p.waitFor(fmt.Sprintf(`document.querySelector('#queue [data-id=%q]')`, late)) // arrives by polling
	p.do(chromedp.KeyEvent("j"))
	if sel := eval[string](p, `document.activeElement.dataset.id || ""`); sel != late {
		t.Errorf("j moved to %q, want %q", sel, late)
	}
	p.do(chromedp.KeyEvent("k"))
	if sel := eval[string](p, `document.activeElement.dataset.id || ""`); sel == late || sel == "" {
		t.Errorf("k left focus on %q", sel)
	}

	// Support actions: reaching out keeps the case open and says so;
	// resolving closes it.
	if !supportFirst {
		return
	}
	item = fmt.Sprintf(`#queue [data-id=%q]`, risk)
	p.do(
		chromedp.SendKeys(chromedp.CSS(item+" .note"), "Wrote to them by email"),
		chromedp.Click(chromedp.CSS(item+" button.reached-out")),
	)
	p.waitFor(fmt.Sprintf(`document.querySelector('%s .support-log').textContent.startsWith("Reached out")`, item))
	if q := seed.queue(); !q[risk] {
		t.Errorf("support comment %s left the queue after reaching out", risk)
	}
	// The trail comes from the audit log: it is still there after a reload.
	p.do(chromedp.Reload())
	p.waitFor(fmt.Sprintf(`(document.querySelector('%s .support-log') || {}).textContent?.includes("Wrote to them by email")`, item))
	p.do(
		chromedp.Click(chromedp.CSS(item+" button.resolved")),
		chromedp.WaitNotPresent(chromedp.CSS(item)),
	)
	if q := seed.queue(); q[risk] {
		t.Errorf("resolved support comment %s still queued", risk)
	}
}

// testSitePage renders a post and its published comments through the API,
// as a publisher's own page does: the warning line first, then only what
// readers may see, page by page.
func testSitePage(t *testing.T, browser context.Context, s site, shots string) {
	seed := apiClient{t: t, base: s.url, key: s.key}
	seed.post("site-post", articleText)
	var published []string
	for i, text := range []string{kindComment, "She sounds like she was a wonderful woman.", "Thinking of your family today."} {
		var out struct{ ID, Decision string }
		if st := seed.call("POST", "/v1/posts/site-post/comments", map[string]string{"text": text, "author": fmt.Sprint("Reader ", i)}, fmt.Sprintf("site-%d-%d", time.Now().UnixNano(), i), &out); st != 201 {
			t.Fatalf("comment: %d", st)
		}
		if out.Decision == "publish" {
			published = append(published, out.ID)
		}
	}
	if len(published) < 2 {
		t.Fatalf("only %d of the kind seed comments were published", len(published))
	}
	held := seed.comment("site-post", "Rowan", "What a pathetic idiot, get over it.")

	p := newTab(t, browser, s.url)
	p.open("/demo/post?post=site-post&limit=2#key=" + s.key)
	p.do(chromedp.WaitVisible(chromedp.CSS("#post")))
	p.waitFor(`document.querySelectorAll("#thread li").length >= 1`)
	if line := p.text("#post-line"); line == "" || !strings.Contains(strings.ToLower(line), "grief") && s.exact {
		t.Errorf("warning line %q", line)
	}
	if !strings.Contains(p.text("#post-text"), "The funeral was small.") {
		t.Errorf("post text %q", p.text("#post-text"))
	}
	// Two a page: the rest come with "Show more".
	for eval[bool](p, `!document.querySelector("#more").hidden`) {
		n := eval[int](p, `document.querySelectorAll("#thread li").length`)
		p.do(chromedp.Click(chromedp.CSS("#more")))
		p.waitFor(fmt.Sprintf(`document.querySelectorAll("#thread li").length > %d`, n))
	}
	ids := eval[[]string](p, `[...document.querySelectorAll("#thread li")].map(li => li.dataset.id)`)
	if strings.Join(ids, ",") != strings.Join(published, ",") {
		t.Errorf("thread shows %v, want the published %v in order", ids, published)
	}
	for _, id := range ids {
		if id == held {
			t.Errorf("held comment %s is on the site page", id)
		}
	}
	p.screenshots(shots, "site-page")
}

func testBadKey(t *testing.T, browser context.Context, s site) {
	p := newTab(t, browser, s.url)
	p.open("/moderate")
	p.signIn("not-a-key")
	p.do(chromedp.WaitVisible(chromedp.CSS("#signin-error")))
	if msg := p.text("#signin-error"); !strings.Contains(msg, "not accepted") {
		t.Errorf("error = %q", msg)
	}
	if k := eval[string](p, `sessionStorage.getItem("forewarn.key") || ""`); k != "" {
		t.Errorf("rejected key kept: %q", k)
	}
}

// testByteMapper checks the page's byte-to-index mapping against Go's view
// of the same strings: every rune boundary maps to the same text, and an
// offset inside a character never splits it.
func testByteMapper(t *testing.T, browser context.Context, s site) {
	p := newTab(t, browser, s.url)
	p.open("/")
	texts := []string{"", "plain", "Zoë", "naïve café", "日本語のテキスト", "a🌷b", "👩‍👧 grief", "e\u0301t\u00e9", articleText}
	r := rand.New(rand.NewPCG(1, 2))
	pool := []rune("aZ é€日🌷\u0301\n")
	for range 20 {
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteRune(pool[r.IntN(len(pool))])
		}
		texts = append(texts, b.String())
	}
	type check struct {
		Text    string `json:"text"`
		Offsets []int  `json:"offsets"`
	}
	var checks []check
	for _, text := range texts {
		c := check{Text: text}
		for i := 0; i <= len(text)+1; i++ {
			c.Offsets = append(c.Offsets, i)
		}
		checks = append(checks, c)
	}
	in, _ := json.Marshal(checks)
	type result struct {
		Down []string `json:"down"`
		Up   []string `json:"up"`
	}
	got := eval[[]result](p, `(`+string(in)+`).map(c => {
		const at = FW.byteMapper(c.text);
		return {down: c.offsets.map(o => c.text.slice(0, at(o, false))), up: c.offsets.map(o => c.text.slice(0, at(o, true)))};
	})`)
	for i, c := range checks {
		for j, off := range c.Offsets {
			down, up := off, off
			if off > len(c.Text) {
				down, up = len(c.Text), len(c.Text)
			}
			for down > 0 && down < len(c.Text) && !utf8.RuneStart(c.Text[down]) {
				down--
			}
			for up < len(c.Text) && !utf8.RuneStart(c.Text[up]) {
				up++
			}
			if got[i].Down[j] != c.Text[:down] || got[i].Up[j] != c.Text[:up] {
				t.Errorf("text %q offset %d: got prefixes %q/%q, want %q/%q", c.Text, off, got[i].Down[j], got[i].Up[j], c.Text[:down], c.Text[:up])
			}
		}
	}
}

// apiClient seeds the site through its JSON API, the same way for the fake
// and the real server.
type apiClient struct {
	t         *testing.T
	base, key string
	n         int
}

func (c *apiClient) call(method, path string, body any, idem string, out any) int {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(string(b)))
	if err != nil {
		c.t.Fatal(err)
	}
	if body == nil {
		req, _ = http.NewRequest(method, c.base+path, nil)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode
}

func (c *apiClient) post(id, text string) {
	c.t.Helper()
	if st := c.call("POST", "/v1/posts", map[string]string{"id": id, "text": text}, "", nil); st != 201 && st != 200 && st != 409 {
		c.t.Fatalf("create post: status %d", st)
	}
}

func (c *apiClient) comment(post, author, text string) string {
	c.t.Helper()
	c.n++
	var out struct {
		ID       string `json:"id"`
		Decision string `json:"decision"`
	}
	idem := fmt.Sprintf("seed-%d-%d", time.Now().UnixNano(), c.n)
	if st := c.call("POST", "/v1/posts/"+post+"/comments", map[string]string{"text": text, "author": author}, idem, &out); st != 201 {
		c.t.Fatalf("create comment: status %d", st)
	}
	if out.Decision == "publish" {
		c.t.Fatalf("seed comment %q was published; the queue test needs it held", text)
	}
	return out.ID
}

// queue returns the ids of the waiting comments.
func (c *apiClient) queue() map[string]bool {
	c.t.Helper()
	ids := map[string]bool{}
	for _, st := range []string{"held", "support"} {
		var raw json.RawMessage
		if code := c.call("GET", "/v1/queue?status="+st, nil, "", &raw); code != 200 {
			c.t.Fatalf("queue: status %d", code)
		}
		var list []struct{ ID string }
		if json.Unmarshal(raw, &list) != nil {
			var env struct{ Comments []struct{ ID string } }
			json.Unmarshal(raw, &env)
			list = env.Comments
		}
		for _, x := range list {
			ids[x.ID] = true
		}
	}
	return ids
}
