package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/webhook"
)

var webhooksCommand = command{
	name:    "webhooks",
	summary: "register the addresses that receive signed decision events",
	run:     runWebhooks,
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

func runWebhooks(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stderr, webhooksUsage)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add":
		return runWebhooksAdd(ctx, m, rest)
	case "list":
		return runWebhooksList(ctx, m, rest)
	case "remove":
		return runWebhooksRemove(ctx, m, rest)
	case "deliveries":
		return runWebhooksDeliveries(ctx, m, rest)
	case "listen":
		return runWebhooksListen(ctx, m, rest)
	}
	return fmt.Errorf("webhooks: unknown subcommand %q (want add, list, remove, deliveries or listen)", sub)
}

// webhookStoreAt opens the store at dsn as a webhook store. A missing
// SQLite file is an error, as for keys: a webhook there would reach no
// server.
func webhookStoreAt(ctx context.Context, m *Main, dsn string) (forewarn.WebhookStore, error) {
	s, err := openKeysStore(ctx, m, dsn, false)
	if err != nil {
		return nil, err
	}
	ws, ok := s.(forewarn.WebhookStore)
	if !ok {
		return nil, errors.New("this store keeps no webhooks")
	}
	return ws, nil
}

func runWebhooksAdd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("webhooks add", "[--events LIST] [--db DSN] URL", `  forewarn webhooks add https://example.org/hooks/forewarn
  forewarn webhooks add --events comment.support,comment.decided https://example.org/hooks/care
`)
	dsn := fs.String("db", "forewarn.db", "SQLite file, or a postgres:// URL")
	events := fs.String("events", "", "comma-separated event `types` to send: comment.published, comment.held, comment.support, comment.decided (default: all)")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("webhooks add: want one URL, got %d arguments", fs.NArg())
	}
	h := &forewarn.Webhook{URL: fs.Arg(0)}
	if *events != "" {
		for _, e := range strings.Split(*events, ",") {
			t, err := forewarn.ParseEventType(strings.TrimSpace(e))
			if err != nil {
				return fmt.Errorf("webhooks add: %w", err)
			}
			h.Events = append(h.Events, t)
		}
	}
	ws, err := webhookStoreAt(ctx, m, *dsn)
	if err != nil {
		return err
	}
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

func runWebhooksList(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("webhooks list", "[--db DSN]", "  forewarn webhooks list\n")
	dsn := fs.String("db", "forewarn.db", "SQLite file, or a postgres:// URL")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := webhookStoreAt(ctx, m, *dsn)
	if err != nil {
		return err
	}
	hs, err := ws.Webhooks(ctx)
	if err != nil {
		return err
	}
	for _, h := range hs {
		events := "all events"
		if len(h.Events) > 0 {
			names := make([]string, len(h.Events))
			for i, e := range h.Events {
				names[i] = string(e)
			}
			events = strings.Join(names, ",")
		}
		fmt.Fprintf(m.Stdout, "%s\t%s\t%s\n", h.ID, h.URL, events)
	}
	return nil
}

func runWebhooksRemove(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("webhooks remove", "[--db DSN] ID", "  forewarn webhooks remove wh_abcdefghijklmnop\n")
	dsn := fs.String("db", "forewarn.db", "SQLite file, or a postgres:// URL")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("webhooks remove: want one ID, got %d arguments", fs.NArg())
	}
	ws, err := webhookStoreAt(ctx, m, *dsn)
	if err != nil {
		return err
	}
	return ws.DeleteWebhook(ctx, fs.Arg(0))
}

func runWebhooksDeliveries(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("webhooks deliveries", "[--state pending|delivered|failed] [--limit N] [--db DSN]", "  forewarn webhooks deliveries --state failed\n")
	dsn := fs.String("db", "forewarn.db", "SQLite file, or a postgres:// URL")
	state := fs.String("state", "", "only deliveries in this `state`: pending, delivered or failed")
	limit := fs.Int("limit", 20, "at most this many lines")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := webhookStoreAt(ctx, m, *dsn)
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

// listenLine is what webhooks listen prints for each delivery.
type listenLine struct {
	Verified bool               `json:"verified"`
	Error    string             `json:"error,omitempty"`
	Event    string             `json:"event"`
	Type     forewarn.EventType `json:"type"`
	Attempt  string             `json:"attempt"`
	Comment  string             `json:"comment,omitempty"`
	Status   forewarn.Status    `json:"status,omitempty"`
	Action   forewarn.Action    `json:"action,omitempty"`
}

// runWebhooksListen is a receiver to try webhooks with: it checks each
// delivery's signature as a site must, answers 204 to good ones and 400 to
// the rest, and prints one JSON line per delivery.
func runWebhooksListen(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("webhooks listen", "--secret SECRET [--addr ADDRESS]", `  SECRET=$(forewarn webhooks add http://127.0.0.1:9090/)
  forewarn webhooks listen --secret "$SECRET"
`)
	addr := fs.String("addr", "127.0.0.1:9090", "listen `address`")
	secret := fs.String("secret", "", "the signing secret that webhooks add printed (required)")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *secret == "" {
		fs.Usage()
		return errors.New("webhooks listen: --secret is required")
	}
	var mu sync.Mutex
	enc := json.NewEncoder(m.Stdout)
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		line := listenLine{Event: r.Header.Get(webhook.EventIDHeader), Type: forewarn.EventType(r.Header.Get(webhook.EventTypeHeader)), Attempt: r.Header.Get(webhook.AttemptHeader)}
		if err == nil {
			err = webhook.Verify(*secret, r.Header.Get(webhook.SignatureHeader), body, time.Now(), 0)
		}
		var ev forewarn.Event
		if err == nil {
			err = json.Unmarshal(body, &ev)
		}
		if err != nil {
			line.Error = err.Error()
			w.WriteHeader(http.StatusBadRequest)
		} else {
			line.Verified = true
			if c := ev.Data.Comment; c != nil {
				line.Comment, line.Status = c.ID, c.Status
			}
			if a := ev.Data.Action; a != nil {
				line.Action = a.Action
			}
			w.WriteHeader(http.StatusNoContent)
		}
		mu.Lock()
		enc.Encode(line)
		mu.Unlock()
	})}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("webhooks listen: %w", err)
	}
	fmt.Fprintf(m.Stderr, "listening for webhooks at http://%s/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
