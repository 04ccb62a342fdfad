// Package cli is the frame of the forewarn command: subcommands whose
// flags the environment can also set (FOREWARN_<FLAG>), the standard
// streams, the resources a subcommand opened, closed at exit, and the
// JSON Lines runs of score, warn --jsonl and moderate. The command's own
// package only declares flags and wires the library together.
package cli

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

// ErrSomeFailed reports that a batch command finished but some input lines
// failed; the failures were already written to the output.
var ErrSomeFailed = errors.New("some lines failed")

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, m *Main, args []string) error
}

// Main is the program: its streams, its subcommands and the resources a
// subcommand opened. Tests build one with New, swap the streams and call
// Run.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Logger *slog.Logger
	// Getenv reads the environment, where FOREWARN_* variables stand in for
	// flags not given on the command line.
	Getenv func(string) string
	// Commands lists the subcommands in the order help shows them.
	Commands []Command
	// Intro opens the help text.
	Intro string

	closers []func() error
	// MaxLine is the longest JSON Lines input line (--max-line).
	MaxLine int
}

// New returns a Main with commands on the process's standard streams.
func New(intro string, commands []Command) *Main {
	return &Main{
		Stdin:    os.Stdin,
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Getenv:   os.Getenv,
		Commands: commands,
		Intro:    intro,
	}
}

// Exit runs m on the process's arguments until SIGINT or SIGTERM, closes
// it and exits: status 2 for a request for help, 1 for an error (printed,
// unless it is ErrSomeFailed, whose lines were already written).
func Exit(m *Main) {
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
	case errors.Is(err, ErrSomeFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "forewarn:", err)
		os.Exit(1)
	}
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
	for _, c := range m.Commands {
		if c.Name == args[0] {
			return c.Run(ctx, m, args[1:])
		}
	}
	m.usage()
	return fmt.Errorf("unknown command %q (want %s)", args[0], names(m.Commands))
}

// names lists the commands' names: "a, b or c".
func names(cs []Command) string {
	ns := make([]string, len(cs))
	for i, c := range cs {
		ns[i] = c.Name
	}
	if len(ns) < 2 {
		return strings.Join(ns, "")
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " or " + ns[len(ns)-1]
}

// Subcommands runs the subcommand of a command with subcommands (keys,
// webhooks) named by args[0], or prints usage for none or help.
func (m *Main) Subcommands(ctx context.Context, name, usage string, args []string, subs []Command) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stderr, usage)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	for _, s := range subs {
		if s.Name == args[0] {
			return s.Run(ctx, m, args[1:])
		}
	}
	return fmt.Errorf("%s: unknown subcommand %q (want %s)", name, args[0], names(subs))
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

// OnClose registers f to run when Main closes.
func (m *Main) OnClose(f func() error) { m.closers = append(m.closers, f) }

func (m *Main) usage() {
	fmt.Fprintf(m.Stderr, "%s\nUsage:\n  forewarn <command> [flags] [args]\n\nCommands:\n", m.Intro)
	for _, c := range m.Commands {
		fmt.Fprintf(m.Stderr, "  %-9s %s\n", c.Name, c.Summary)
	}
	fmt.Fprint(m.Stderr, `
Run "forewarn help <command>" for a command's flags and examples. Every
flag can also come from the environment: --db from FOREWARN_DB,
--support-number from FOREWARN_SUPPORT_NUMBER; a flag on the command line
wins.
`)
}

// FlagSet returns a flag set that writes usage to m.Stderr and returns
// errors instead of exiting, with help text built from usage and examples.
func (m *Main) FlagSet(name, usage, examples string) *flag.FlagSet {
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

// EnvName returns the environment variable that stands in for a flag:
// FOREWARN_ and the flag's name in capitals with dashes as underscores.
func EnvName(flagName string) string {
	return "FOREWARN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// envExample names the first flag's variable for the help text.
func envExample(fs *flag.FlagSet) string {
	ex := ""
	fs.VisitAll(func(f *flag.Flag) {
		if ex == "" {
			ex = EnvName(f.Name)
		}
	})
	return ex
}

// Parse parses args into fs, then sets every flag that args left out
// from its FOREWARN_* environment variable, so that a service can be
// configured by its environment (a systemd unit, a container) and a flag
// on the command line still wins.
func (m *Main) Parse(fs *flag.FlagSet, args []string) error {
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
		name := EnvName(f.Name)
		if v := m.Getenv(name); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// NoArgs returns an error for the subcommand cmd when fs has arguments
// left after its flags.
func NoArgs(fs *flag.FlagSet, cmd string) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", cmd, fs.Arg(0))
	}
	return nil
}

// OneArg returns an error for the subcommand cmd unless fs has exactly
// one argument left, the what it takes.
func OneArg(fs *flag.FlagSet, cmd, what string) error {
	if fs.NArg() != 1 {
		return fmt.Errorf("%s: want one %s, got %d arguments", cmd, what, fs.NArg())
	}
	return nil
}
