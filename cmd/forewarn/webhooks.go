package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/cli"
	"github.com/forewarn/forewarn/webhook"
)

var webhooksCommand = cli.Command{
	Name:    "webhooks",
	Summary: "register the addresses that receive signed decision events",
	Run:     runWebhooks,
}

const webhooksUsage = `Usage: forewarn webhooks <subcommand> [flags]

Subcommands:
  add URL       register URL for events and print its signing secret
  list          list the webhooks
  remove ID     remove a webhook
  deliveries    print the delivery log, newest first
  listen        receive webhooks on this machine and print each verified event

Run "forewarn webhooks <subcommand> -h" for its flags. "forewarn serve"
sends the events; see "Webhooks" in the README for how a site checks them.
`

func runWebhooks(ctx context.Context, m *cli.Main, args []string) error {
	return m.Subcommands(ctx, "webhooks", webhooksUsage, args, []cli.Command{
		{Name: "add", Run: runWebhooksAdd}, {Name: "list", Run: runWebhooksList}, {Name: "remove", Run: runWebhooksRemove},
		{Name: "deliveries", Run: runWebhooksDeliveries}, {Name: "listen", Run: runWebhooksListen},
	})
}

func runWebhooksAdd(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("webhooks add", "[--events LIST] [--db DSN] URL", `  forewarn webhooks add https://example.org/hooks/forewarn
  forewarn webhooks add --events comment.support,comment.decided https://example.org/hooks/care
`)
	events := fs.String("events", "", "comma-separated event `types` to send: comment.published, comment.held, comment.support, comment.decided (default: all)")
	ws, err := m.ParseWebhookStore(ctx, fs, args, func() error { return cli.OneArg(fs, "webhooks add", "URL") })
	if err != nil {
		return err
	}
	types, err := forewarn.ParseEventTypes(strings.FieldsFunc(*events, func(r rune) bool { return r == ',' || r == ' ' }))
	if err != nil {
		return fmt.Errorf("webhooks add: %w", err)
	}
	h := &forewarn.Webhook{URL: fs.Arg(0), Events: types}
	if err := ws.CreateWebhook(ctx, h); err != nil {
		return fmt.Errorf("webhooks add: %w", err)
	}
	// The secret alone goes to stdout so that scripts can capture it.
	fmt.Fprintf(m.Stderr, "created webhook %s for %s; keep its signing secret, it cannot be shown again.\n"+
		"Each delivery has a %s header: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" under the secret>.\n",
		h.ID, h.URL, webhook.SignatureHeader)
	fmt.Fprintln(m.Stdout, h.Secret)
	return nil
}

func runWebhooksList(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("webhooks list", "[--db DSN]", "  forewarn webhooks list\n")
	ws, err := m.ParseWebhookStore(ctx, fs, args, nil)
	if err != nil {
		return err
	}
	hs, err := ws.Webhooks(ctx)
	if err != nil {
		return err
	}
	for _, h := range hs {
		fmt.Fprintf(m.Stdout, "%s\t%s\t%s\n", h.ID, h.URL, webhook.EventsText(h.Events))
	}
	return nil
}

func runWebhooksRemove(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("webhooks remove", "[--db DSN] ID", "  forewarn webhooks remove wh_abcdefghijklmnop\n")
	ws, err := m.ParseWebhookStore(ctx, fs, args, func() error { return cli.OneArg(fs, "webhooks remove", "ID") })
	if err != nil {
		return err
	}
	return ws.DeleteWebhook(ctx, fs.Arg(0))
}

func runWebhooksDeliveries(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("webhooks deliveries", "[--state pending|delivered|failed] [--limit N] [--db DSN]", "  forewarn webhooks deliveries --state failed\n")
	state := fs.String("state", "", "only deliveries in this `state`: pending, delivered or failed")
	limit := fs.Int("limit", 20, "at most this many lines")
	ws, err := m.ParseWebhookStore(ctx, fs, args, nil)
	if err != nil {
		return err
	}
	ds, err := ws.Deliveries(ctx, forewarn.DeliveryFilter{State: forewarn.DeliveryState(*state), Limit: *limit})
	if err != nil {
		return fmt.Errorf("webhooks deliveries: %w", err)
	}
	for _, d := range ds {
		fmt.Fprintln(m.Stdout, webhook.Describe(d))
	}
	return nil
}

// runWebhooksListen runs webhook.Receiver, a receiver to try webhooks
// with, until ctx is done.
func runWebhooksListen(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("webhooks listen", "--secret SECRET [--addr ADDRESS]", `  SECRET=$(forewarn webhooks add http://127.0.0.1:9090/)
  forewarn webhooks listen --secret "$SECRET"
`)
	addr := fs.String("addr", "127.0.0.1:9090", "listen `address`")
	secret := fs.String("secret", "", "the signing secret that webhooks add printed (required)")
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	if *secret == "" {
		fs.Usage()
		return errors.New("webhooks listen: --secret is required")
	}
	err := webhook.Listen(ctx, *addr, *secret, m.Stdout, func(a net.Addr) {
		fmt.Fprintf(m.Stderr, "listening for webhooks at http://%s/\n", a)
	})
	if err != nil {
		return fmt.Errorf("webhooks listen: %w", err)
	}
	return nil
}
