package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/warn"
)

var warnCommand = command{
	name:    "warn",
	summary: "name the painful topics of texts and print the warning line",
	run:     runWarn,
}

func runWarn(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("warn", "[flags] FILE... | --jsonl [FILE|-]", `  forewarn warn article.txt
  forewarn warn --style note --json article.txt
  forewarn warn --jsonl texts.jsonl > warnings.jsonl
  forewarn warn --batch articles/
`)
	style := fs.String("style", "", "house style: news, note, tags or one from --styles (default: the configuration's default)")
	asJSON := fs.Bool("json", false, "print the warning as JSON")
	jsonl := fs.Bool("jsonl", false, `read JSON Lines {"id","text"} from FILE or stdin and write one result line per input line`)
	batch := fs.Bool("batch", false, "warn every .txt file under a folder (or every line of a JSON Lines file) with a progress bar and a summary table")
	lexicon := fs.String("lexicon", "", "a lexicon `FILE` whose phrases add to the built-in lexicon")
	styles := fs.String("styles", "", "a JSON `FILE` of house styles and policy over the defaults")
	m.maxLineFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	d, err := newWarnDetector(*lexicon, *styles)
	if err != nil {
		return err
	}
	if *style != "" {
		if _, ok := d.Config().Styles[*style]; !ok {
			names := make([]string, 0, len(d.Config().Styles))
			for n := range d.Config().Styles {
				names = append(names, n)
			}
			sort.Strings(names)
			return fmt.Errorf("unknown style %q (want one of %s): %w", *style, strings.Join(names, ", "), forewarn.ErrInvalid)
		}
	}
	switch {
	case *jsonl && *batch:
		if fs.NArg() != 1 {
			return fmt.Errorf("--batch --jsonl takes one file: %w", forewarn.ErrInvalid)
		}
		return warnBatchJSONL(ctx, m, d, fs.Arg(0))
	case *jsonl:
		if fs.NArg() > 1 {
			return fmt.Errorf("--jsonl takes at most one file: %w", forewarn.ErrInvalid)
		}
		in := m.Stdin
		if name := fs.Arg(0); name != "" && name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return fmt.Errorf("open input: %w", err)
			}
			defer f.Close()
			in = f
		}
		return warnJSONL(ctx, d, in, m.Stdout, m.maxLine, nil)
	case *batch:
		if fs.NArg() != 1 {
			return fmt.Errorf("--batch takes one folder: %w", forewarn.ErrInvalid)
		}
		return warnBatchDir(ctx, m, d, fs.Arg(0), *style)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("no files given: %w", forewarn.ErrInvalid)
	}
	color := isTerminal(m.Stdout)
	for _, name := range fs.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read text: %w", err)
		}
		w, err := d.Warn(string(b), *style)
		if err != nil {
			return err
		}
		if *asJSON {
			w.Topics = forewarn.ShownTopics(w.Topics)
			out := struct {
				File string `json:"file"`
				forewarn.Warning
			}{name, w}
			if err := json.NewEncoder(m.Stdout).Encode(out); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			continue
		}
		printWarning(m.Stdout, name, string(b), w, color, len(fs.Args()) > 1)
	}
	return nil
}

// newWarnDetector returns the shipped detector with the publisher's
// lexicon and styles files, if given.
func newWarnDetector(lexFile, stylesFile string) (*warn.Detector, error) {
	return detector.New(detector.Options{LexiconFile: lexFile, StylesFile: stylesFile})
}

// isTerminal reports whether w is a character device, where colour helps.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printWarning prints the line and each topic's evidence sentences, with
// the evidence highlighted when color is set.
func printWarning(w io.Writer, name, text string, warning forewarn.Warning, color, withName bool) {
	bold, hi, dim, reset := "", "", "", ""
	if color {
		bold, hi, dim, reset = "\x1b[1m", "\x1b[1;31m", "\x1b[2m", "\x1b[0m"
	}
	if withName {
		fmt.Fprintf(w, "%s%s%s\n", dim, name, reset)
	}
	if warning.Line == "" {
		fmt.Fprintln(w, "No warning.")
		return
	}
	fmt.Fprintf(w, "%s%s%s\n", bold, warning.Line, reset)
	for _, t := range warning.Topics {
		fmt.Fprintf(w, "\n  %s (%s, score %.2f, from paragraph %d)\n", t.Name, t.Prominence, t.Score, t.Paragraph+1)
		for _, e := range t.Evidence {
			sent := text[e.SentenceStart:e.SentenceEnd]
			a, b := e.Start-e.SentenceStart, e.End-e.SentenceStart
			line := sent[:a] + hi + sent[a:b] + reset + sent[b:]
			if !color {
				line = sent[:a] + "[" + sent[a:b] + "]" + sent[b:]
			}
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(line, "\n", " "))
		}
	}
	if withName {
		fmt.Fprintln(w)
	}
}

// jsonlTopic is one topic of the --jsonl output contract.
type jsonlTopic struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Score      float64             `json:"score"`
	Prominence forewarn.Prominence `json:"prominence"`
	Evidence   []forewarn.Span     `json:"evidence"`
}

type jsonlOut struct {
	ID     json.RawMessage `json:"id"`
	Line   *string         `json:"line,omitempty"`
	Topics []jsonlTopic    `json:"topics,omitempty"`
	Error  string          `json:"error,omitempty"`
	// LineNumber is the input line's number, counted from 1, on errors.
	LineNumber int `json:"line_number,omitempty"`
}

// MarshalJSON writes an error line as {"id", "error"} and a result as
// {"id", "line", "topics"}, with "topics" present even when empty, as the
// contract promises.
func (o jsonlOut) MarshalJSON() ([]byte, error) {
	if o.Error != "" {
		return json.Marshal(struct {
			ID         json.RawMessage `json:"id"`
			Error      string          `json:"error"`
			LineNumber int             `json:"line_number"`
		}{o.ID, o.Error, o.LineNumber})
	}
	topics := o.Topics
	if topics == nil {
		topics = []jsonlTopic{}
	}
	line := ""
	if o.Line != nil {
		line = *o.Line
	}
	return json.Marshal(struct {
		ID     json.RawMessage `json:"id"`
		Line   string          `json:"line"`
		Topics []jsonlTopic    `json:"topics"`
	}{o.ID, line, topics})
}

// warnJSONL reads {"id","text"} lines and writes one result per line in
// the same order. A bad line gets an error result and the run goes on;
// the run then ends with errSomeFailed. tally, if set, sees each result.
func warnJSONL(ctx context.Context, d *warn.Detector, in io.Reader, out io.Writer, maxLine int, tally func(jsonlOut)) error {
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var werr error
	failed, err := eachLine(ctx, in, maxLine, func(n int, raw []byte) bool {
		res := warnLine(d, raw)
		if res.Error != "" {
			res.LineNumber = n
		}
		if tally != nil {
			tally(res)
		}
		if err := enc.Encode(res); err != nil && werr == nil {
			werr = fmt.Errorf("write: %w", err)
		}
		return res.Error == ""
	})
	if ferr := bw.Flush(); werr == nil {
		werr = ferr
	}
	switch {
	case err != nil:
		return err
	case werr != nil:
		return werr
	case failed > 0:
		return errSomeFailed
	}
	return nil
}

// warnLine detects the topics of one input line, parsed as forewarn score
// parses its lines.
func warnLine(d *warn.Detector, raw []byte) jsonlOut {
	id, text, msg := parseLine(raw)
	res := jsonlOut{ID: id}
	if msg != "" {
		res.Error = msg
		return res
	}
	w, err := d.Warn(text, "")
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Line = &w.Line
	res.Topics = make([]jsonlTopic, 0, len(w.Topics))
	for _, t := range w.Topics {
		jt := jsonlTopic{ID: t.ID, Name: t.Name, Score: forewarn.RoundScore(t.Score), Prominence: t.Prominence, Evidence: make([]forewarn.Span, 0, len(t.Evidence))}
		for _, e := range t.Evidence {
			jt.Evidence = append(jt.Evidence, forewarn.Span{Start: e.Start, End: e.End})
		}
		res.Topics = append(res.Topics, jt)
	}
	return res
}

// summary counts, per topic, the texts that earned a warning for it.
type summary struct {
	texts, warned, failed int
	topics                map[string]int
}

func (s *summary) add(topicIDs []string, failed bool) {
	s.texts++
	if failed {
		s.failed++
		return
	}
	if len(topicIDs) > 0 {
		s.warned++
	}
	for _, id := range topicIDs {
		s.topics[id]++
	}
}

func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "\n%d texts, %d with a warning, %d failed\n", s.texts, s.warned, s.failed)
	ids := make([]string, 0, len(s.topics))
	for id := range s.topics {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if s.topics[ids[i]] != s.topics[ids[j]] {
			return s.topics[ids[i]] > s.topics[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if len(ids) > 0 {
		fmt.Fprintf(w, "%-26s %7s %7s\n", "topic", "texts", "share")
	}
	for _, id := range ids {
		fmt.Fprintf(w, "%-26s %7d %6.1f%%\n", id, s.topics[id], 100*float64(s.topics[id])/float64(max(s.texts, 1)))
	}
}

// newBar returns a progress bar on stderr. It shows only when stderr is a
// terminal and stdout is not: on a shared terminal its redraws would mix
// with the results, and in a log file it is noise.
func newBar(m *Main, total int64, what string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetVisibility(isTerminal(m.Stderr) && !isTerminal(m.Stdout)),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}

// warnBatchJSONL runs --jsonl over a large file with a progress bar over
// its bytes and a summary table on stderr.
func warnBatchJSONL(ctx context.Context, m *Main, d *warn.Detector, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open input: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat input: %w", err)
	}
	bar := newBar(m, st.Size(), "warn")
	r := progressbar.NewReader(f, bar)
	sum := summary{topics: map[string]int{}}
	err = warnJSONL(ctx, d, &r, m.Stdout, m.maxLine, func(o jsonlOut) {
		var ids []string
		for _, t := range o.Topics {
			ids = append(ids, t.ID)
		}
		sum.add(ids, o.Error != "")
	})
	_ = bar.Finish()
	sum.print(m.Stderr)
	return err
}

// warnBatchDir warns every .txt file under dir, printing one JSON line per
// file, with a progress bar and a summary table on stderr.
func warnBatchDir(ctx context.Context, m *Main, d *warn.Detector, dir, style string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".txt") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list texts: %w", err)
	}
	bar := newBar(m, int64(len(files)), "warn")
	sum := summary{topics: map[string]int{}}
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	var errs []error
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		var w forewarn.Warning
		if err == nil {
			w, err = d.Warn(string(b), style)
		}
		ids := []string{}
		for _, t := range w.Topics {
			ids = append(ids, t.ID)
		}
		sum.add(ids, err != nil)
		rec := map[string]any{"file": p, "line": w.Line, "topics": ids}
		if err != nil {
			errs = append(errs, err)
			rec = map[string]any{"file": p, "error": err.Error()}
		}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	sum.print(m.Stderr)
	if len(errs) > 0 {
		return errors.Join(errSomeFailed, errs[0])
	}
	return nil
}
