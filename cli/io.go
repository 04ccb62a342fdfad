package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/jsonl"
)

// OpenInput returns the input named by args: standard input for none or
// "-", else the one file named, closed when m closes.
func (m *Main) OpenInput(args []string) (io.Reader, error) {
	switch {
	case len(args) == 0 || len(args) == 1 && args[0] == "-":
		return m.Stdin, nil
	case len(args) == 1:
		f, err := os.Open(args[0])
		if err != nil {
			return nil, fmt.Errorf("open input: %w", err)
		}
		m.OnClose(f.Close)
		return f, nil
	}
	return nil, fmt.Errorf("want one input file or -, got %d arguments: %w", len(args), forewarn.ErrInvalid)
}

// MaxLineFlag adds --max-line, read into m.MaxLine.
func (m *Main) MaxLineFlag(fs *flag.FlagSet) {
	fs.IntVar(&m.MaxLine, "max-line", jsonl.DefaultMaxLine, "longest input line in `bytes`; a longer line gets an error line and the rest of it is skipped")
}

// MapLines runs fn on every JSON Lines input line of the input named by
// args (see OpenInput) and writes the output lines to m.Stdout (see
// jsonl.Map); it returns ErrSomeFailed when any line failed.
func (m *Main) MapLines(ctx context.Context, name string, args []string, fn func(b, id []byte, text string) ([]byte, error)) error {
	in, err := m.OpenInput(args)
	if err != nil {
		return err
	}
	failed, err := jsonl.Map(ctx, in, m.Stdout, m.MaxLine, fn)
	return m.Failed(name, failed, err)
}

// Failed ends a batch run: err if set, else ErrSomeFailed, said on
// stderr, when failed lines or files failed.
func (m *Main) Failed(name string, failed int, err error) error {
	if err == nil && failed > 0 {
		fmt.Fprintf(m.Stderr, "forewarn %s: %d lines failed\n", name, failed)
		err = ErrSomeFailed
	}
	return err
}

// IsTerminal reports whether w is a character device, where colour helps
// and a person reads.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Bar returns a progress bar on stderr. It shows only when stderr is a
// terminal and stdout is not: on a shared terminal its redraws would mix
// with the results, and in a log file it is noise.
func (m *Main) Bar(total int64, what string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetVisibility(IsTerminal(m.Stderr) && !IsTerminal(m.Stdout)),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}

// OpenLog opens the log named by a flag value: none for "", stderr for
// "-", else a file opened for appending and closed when m closes.
func (m *Main) OpenLog(name string) (io.Writer, error) {
	switch name {
	case "":
		return nil, nil
	case "-":
		return m.Stderr, nil
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	m.OnClose(f.Close)
	return f, nil
}

// WritePrivate writes text to a new file that only its owner can read; an
// existing file is an error, never overwritten.
func WritePrivate(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ParseBytes parses a size such as 768MiB, 2GiB, 500MB or 1048576.
func ParseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.n
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 768MiB", s)
	}
	return n * mult, nil
}

// MapFile is MapLines over the file name with a progress bar over its
// bytes (see Bar), for large batches. It returns how many lines failed.
func (m *Main) MapFile(ctx context.Context, name string, fn func(b, id []byte, text string) ([]byte, error)) (failed int, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, fmt.Errorf("open input: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("stat input: %w", err)
	}
	bar := m.Bar(st.Size(), "lines")
	defer bar.Finish()
	r := progressbar.NewReader(f, bar)
	return jsonl.Map(ctx, &r, m.Stdout, m.MaxLine, fn)
}
