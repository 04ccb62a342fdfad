// Command forewarn names the sensitive topics of a text and decides comments
// in the context of the post they answer. See "forewarn help".
package main

import "github.com/forewarn/forewarn/cli"

func main() { cli.Exit(NewMain()) }

// NewMain returns the program on the process's standard streams.
func NewMain() *cli.Main {
	return cli.New(`forewarn names the painful topics of a text before readers meet them,
and keeps cruelty out of the comments that answer it.
`, commands)
}

// commands lists the subcommands in the order help shows them.
var commands = []cli.Command{
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
