#!/usr/bin/env bash
# Load bench for forewarn serve: comment decisions and nudges on loopback.
#
#   bench/load.sh [DURATION] [CONNECTIONS]     (defaults: 20s, 64)
#
# Installs Debian's wrk when missing, builds forewarn, serves it on a
# temporary SQLite database, creates a post, then runs wrk against
# POST /v1/posts/{post}/comments (a new Idempotency-Key per request) and
# POST /v1/nudge, printing requests per second and p50/p99 latency.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}
conns=${2:-64}
threads=${THREADS:-2}

. bench/wrk.sh

tmp=$(mktemp -d)
go build -o "$tmp/forewarn" ./cmd/forewarn
"$tmp/forewarn" serve --addr 127.0.0.1:0 --db "$tmp/bench.db" --rate -1 --addr-rate -1 --admin-key-file "$tmp/admin.key" >"$tmp/out" 2>"$tmp/log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
	grep -q 'url=' "$tmp/log" 2>/dev/null && break
	sleep 0.1
done
url=$(grep -o 'url=http://[^ ]*' "$tmp/log" | head -n 1 | cut -d= -f2)
for _ in $(seq 50); do [ -s "$tmp/admin.key" ] && break; sleep 0.1; done
key=$(grep -o 'fwk_[a-z2-7]*' "$tmp/admin.key" | head -n 1)
[ -n "$url" ] && [ -n "$key" ] || { cat "$tmp/log" "$tmp/out"; exit 1; }

curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
	-d '{"id":"bench","text":"We said goodbye to him at the funeral on Friday. Thank you for the flowers and the letters."}' \
	"$url/v1/posts" >/dev/null

echo "== POST /v1/posts/bench/comments  ($duration, $conns connections, $threads threads)"
KEY=$key POST=bench wrk -t"$threads" -c"$conns" -d"$duration" --latency -s bench/comments.lua "$url/v1/posts/bench/comments" | grep -E '^(requests/s|latency|errors)'
echo "== POST /v1/nudge  ($duration, $conns connections, $threads threads)"
KEY=$key POST=bench NUDGE=1 wrk -t"$threads" -c"$conns" -d"$duration" --latency -s bench/comments.lua "$url/v1/nudge" | grep -E '^(requests/s|latency|errors)'
echo "== server metrics"
curl -fsS -H "Authorization: Bearer $key" "$url/metrics" | grep -E '^forewarn_(comment_decisions_total|queue_depth)'
