// Command forewarn names the sensitive topics of a text and decides comments
// in the context of the post they answer. See "forewarn help".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	m := NewMain()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := m.Run(ctx, os.Args[1:])
	stop()
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, errSomeFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "forewarn:", err)
		os.Exit(1)
	}
}

// errSomeFailed reports that a batch command finished but some input lines
// failed; the failures were already written to the output.
var errSomeFailed = errors.New("some lines failed")

// Main is the program: its streams and the resources a subcommand opened.
// Tests build one with NewMain, swap the streams and call Run.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Logger *slog.Logger
	// Getenv reads the environment, where FOREWARN_* variables stand in for
	// flags not given on the command line.
	Getenv func(string) string

	closers []func() error
	// maxLine is the longest JSON Lines input line (--max-line).
	maxLine int
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Getenv: os.Getenv,
	}
}

// command is one subcommand. Each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, m *Main, args []string) error
}

// commands lists the subcommands in the order help shows them.
var commands = []command{
	trainCommand,
	evalCommand,
	scoreCommand,
	warnCommand,
	moderateCommand,
	serveCommand,
	workerCommand,
	keysCommand,
	webhooksCommand,
	versionCommand,
}

// Run runs the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			// "help keys create" is "keys create -h".
			return m.Run(ctx, append(append([]string{}, args[1:]...), "-h"))
		}
		m.usage()
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, m, args[1:])
		}
	}
	m.usage()
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return fmt.Errorf("unknown command %q (want %s)", args[0], strings.Join(names, ", "))
}

// Close releases what the subcommand opened, last opened first.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// onClose registers f to run when Main closes.
func (m *Main) onClose(f func() error) { m.closers = append(m.closers, f) }

func (m *Main) usage() {
	fmt.Fprint(m.Stderr, `forewarn names the painful topics of a text before readers meet them,
and keeps cruelty out of the comments that answer it.

Usage:
  forewarn <command> [flags] [args]

Commands:
`)
	cs := commands
	for _, c := range cs {
		fmt.Fprintf(m.Stderr, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(m.Stderr, `
Run "forewarn help <command>" for a command's flags and examples. Every
flag can also come from the environment: --db from FOREWARN_DB,
--support-number from FOREWARN_SUPPORT_NUMBER; a flag on the command line
wins.
`)
}

// newFlagSet returns a flag set that writes usage to m.Stderr and returns
// errors instead of exiting, with help text built from usage and examples.
func (m *Main) newFlagSet(name, usage, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: forewarn %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
		fmt.Fprintf(m.Stderr, "\nEach flag may also be set in the environment as FOREWARN_<FLAG>, e.g. %s.\n", envExample(fs))
		if examples != "" {
			fmt.Fprintf(m.Stderr, "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// envName returns the environment variable that stands in for a flag:
// FOREWARN_ and the flag's name in capitals with dashes as underscores.
func envName(flagName string) string {
	return "FOREWARN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// envExample names the first flag's variable for the help text.
func envExample(fs *flag.FlagSet) string {
	ex := ""
	fs.VisitAll(func(f *flag.Flag) {
		if ex == "" {
			ex = envName(f.Name)
		}
	})
	return ex
}

// parseFlags parses args into fs, then sets every flag that args left out
// from its FOREWARN_* environment variable, so that a service can be
// configured by its environment (a systemd unit, a container) and a flag
// on the command line still wins.
func (m *Main) parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if m.Getenv == nil {
		return nil
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		name := envName(f.Name)
		if v := m.Getenv(name); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	return errors.Join(errs...)
}
