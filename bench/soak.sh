#!/usr/bin/env bash
# Soak and fault bench for forewarn serve, bounded and on loopback only.
#
#   bench/soak.sh [DURATION] [CONNECTIONS]     (defaults: 60s, 16)
#
# Installs Debian's wrk when missing and builds forewarn. Then, on a
# temporary SQLite database:
#   1. a flood of 64 concurrent 1 MB POST /v1/warnings: the statuses they
#      got (every one should be 2xx, 413 or 503) and the server's peak RSS;
#   2. DURATION of mixed load: wrk posting comments and nudges (CONNECTIONS
#      each), four clients posting checked comments and retrying each with
#      its Idempotency-Key until acknowledged, and the server killed with
#      SIGKILL every 12 s and started again on the same database;
#   3. a check of the database: every acknowledged write is there, once.
# It prints requests/s, p99, acknowledged writes lost and duplicates, and
# exits 1 if any write was lost or duplicated.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60s}
conns=${2:-16}

. bench/wrk.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/forewarn" ./cmd/forewarn
go build -o "$tmp/soak" ./bench/soak
"$tmp/soak" -bin "$tmp/forewarn" -duration "$duration" -conns "$conns"
