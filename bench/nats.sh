#!/usr/bin/env bash
# End-to-end bench of comment intake: comments per second from the first
# request until the last comment is in PostgreSQL, and latency percentiles,
# for the API saving each comment itself (direct) and for the API publishing
# to NATS JetStream with 1 and 2 workers saving in batches (nats_1w,
# nats_2w), all in the same run, from 64 clients at once; the "light" runs
# send 200 comments a second instead, for the time a comment takes to reach
# the queue when the pipeline is not saturated.
#
#   FOREWARN_TEST_POSTGRES=postgres://... bench/nats.sh [COMMENTS] [RUNS]
#   (defaults: 3000 comments per run, 5 runs)
#
# NATS runs inside the bench process (JetStream on a temporary directory);
# the bench process (HTTP clients, API, NATS, workers) is pinned to one core
# with GOMAXPROCS=1. PostgreSQL is the server named by the URL, not pinned.
# Prints the median of the runs per configuration and the ratio to direct,
# then the parts alone: publishing (BenchmarkIntake), one worker saving a
# full stream at several batch sizes (BenchmarkWorker), and PostgreSQL
# saving batches without NATS (BenchmarkSaveComments).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${FOREWARN_TEST_POSTGRES:?set FOREWARN_TEST_POSTGRES to a postgres:// URL of a server the bench may create schemas on}"
n=${1:-3000}
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/nats.test" ./nats
go test -c -o "$tmp/postgres.test" ./postgres
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
(cd nats && "${pin[@]}" "$tmp/nats.test" -test.run '^$' -test.bench 'BenchmarkEndToEnd|BenchmarkIntake|BenchmarkWorker' \
	-test.benchtime "${n}x" -test.count "$runs" -test.cpu 1) | tee "$tmp/out"
(cd postgres && "${pin[@]}" "$tmp/postgres.test" -test.run '^$' -test.bench 'BenchmarkSaveComments' \
	-test.benchtime 3s -test.count "$runs" -test.cpu 1) | tee -a "$tmp/out"
awk '
/^Benchmark(Intake|Worker|SaveComments)/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) if ($(i+1) == "comments/s") parts[name, ++pc[name]] = $i
	if (!(name in pseen)) { pseen[name] = 1; porder[++pk] = name }
}
/^BenchmarkEndToEnd\// {
	name = $1; sub(/^BenchmarkEndToEnd\//, "", name)
	for (i = 3; i < NF; i++) if ($(i+1) ~ /^(comments\/s|api-p99-ms|e2e-p50-ms|e2e-p99-ms)$/) v[name, $(i+1), ++c[name, $(i+1)]] = $i
	if (!(name in seen)) { seen[name] = 1; order[++k] = name }
}
function median(name, m,   n, i, j, t, a) {
	n = c[name, m]
	for (i = 1; i <= n; i++) a[i] = v[name, m, i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	printf "\nmedian of %d runs, %d comments each\n", c[order[1], "comments/s"], '"$n"'
	printf "%-16s %12s %9s %12s %12s %12s\n", "config", "comments/s", "vs direct", "api p99 ms", "e2e p50 ms", "e2e p99 ms"
	for (i = 1; i <= k; i++) {
		name = order[i]; base = name ~ /^light/ ? "light/direct" : "direct"
		printf "%-16s %12.0f %8.2fx %12.1f %12.1f %12.1f\n", name, median(name, "comments/s"),
			median(name, "comments/s") / median(base, "comments/s"), median(name, "api-p99-ms"), median(name, "e2e-p50-ms"), median(name, "e2e-p99-ms")
	}
	printf "\nparts alone (median comments/s): publishing to JetStream without HTTP or the model; one worker saving\n"
	printf "a full stream; PostgreSQL alone saving batches of 500 with and without idempotency keys\n"
	for (i = 1; i <= pk; i++) {
		name = porder[i]; n = pc[name]
		for (j = 1; j <= n; j++) a[j] = parts[name, j]
		for (j = 1; j <= n; j++) for (l = j + 1; l <= n; l++) if (a[l] < a[j]) { t = a[j]; a[j] = a[l]; a[l] = t }
		printf "%-28s %10.0f\n", name, n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
}' "$tmp/out"
