package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/cli"
)

var versionCommand = cli.Command{
	Name:    "version",
	Summary: "print the version, commit and Go version of this binary",
	Run:     runVersion,
}

func runVersion(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("version", "[--json]", `  forewarn version
  forewarn version --json
`)
	asJSON := fs.Bool("json", false, "print the version as JSON (what GET /v1/version answers)")
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("version takes no arguments, got %q", fs.Args())
	}
	v := forewarn.BuildVersion()
	if *asJSON {
		return json.NewEncoder(m.Stdout).Encode(v)
	}
	fmt.Fprintln(m.Stdout, v)
	return nil
}
