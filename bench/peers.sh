#!/usr/bin/env bash
# Compares `forewarn score` with fastText on the same comments, one core
# each: fastText (Debian's package) is trained on the same OLID training
# file with word bigrams, character 3- to 5-grams, 10 epochs, learning
# rate 0.5 and one thread (-wordNgrams 2 -minn 3 -maxn 5 -epoch 10 -lr 0.5
# -thread 1, the fasttext line below: more than fastText's defaults of no
# n-grams, 5 epochs and rate 0.1, so the peer has word pairs and subwords
# as forewarn does), then both score the
# 860 OLID test tweets repeated to at least 150,000 lines. Prints comments
# per second (median of RUNS runs, pinned with taskset), the ratio, peak
# RSS, model and binary sizes, and both models' OLID test macro-F1.
#
# Usage: bench/peers.sh [DATA_DIR]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
runs=${RUNS:-5}
core=${CORE:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v fasttext >/dev/null; then
	echo "installing Debian's fasttext" >&2
	apt-get install -y -qq fasttext >/dev/null
fi
go build -o "$work/forewarn" ./cmd/forewarn

# fastText training file: __label__OFF / __label__NOT and the tweet.
awk -F'\t' 'NR > 1 { sub(/\r$/, ""); print "__label__" $3 " " $2 }' "$data/olid/olid-training-v1.0.tsv" > "$work/ft-train.txt"
fasttext supervised -input "$work/ft-train.txt" -output "$work/ft" -wordNgrams 2 -minn 3 -maxn 5 -epoch 10 -lr 0.5 -thread 1 -verbose 0

# The big input: test tweets repeated to >= 150,000 lines, as plain text for
# fastText and as JSON Lines for forewarn.
awk -F'\t' 'NR > 1 { sub(/\r$/, ""); print $2 }' "$data/olid/testset-levela.tsv" > "$work/tweets.txt"
n=$(wc -l < "$work/tweets.txt")
reps=$(( (150000 + n - 1) / n ))
for _ in $(seq "$reps"); do cat "$work/tweets.txt"; done > "$work/big.txt"
awk '{ gsub(/\\/, "&&"); gsub(/"/, "\\\""); print "{\"id\":" NR ",\"text\":\"" $0 "\"}" }' "$work/big.txt" > "$work/big.jsonl"
lines=$(wc -l < "$work/big.txt")

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_it() { # prints elapsed seconds of one run
	local start end
	start=$(date +%s.%N)
	"$@" > /dev/null
	end=$(date +%s.%N)
	echo "$end - $start" | bc -l
}
ft=() fw=()
for _ in $(seq "$runs"); do
	ft+=("$(time_it taskset -c "$core" fasttext predict "$work/ft.bin" "$work/big.txt")")
	fw+=("$(time_it taskset -c "$core" "$work/forewarn" score "$work/big.jsonl")")
done
ft_s=$(printf '%s\n' "${ft[@]}" | median)
fw_s=$(printf '%s\n' "${fw[@]}" | median)
ft_rate=$(echo "$lines / $ft_s" | bc -l)
fw_rate=$(echo "$lines / $fw_s" | bc -l)

rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
printf 'comments: %d lines; %d runs each, median, pinned to core %s\n' "$lines" "$runs" "$core"
printf '%-22s %12s %14s %12s\n' tool seconds comments/s "peak RSS KiB"
printf '%-22s %12.3f %14.0f %12s\n' "fasttext predict" "$ft_s" "$ft_rate" "$(rss taskset -c "$core" fasttext predict "$work/ft.bin" "$work/big.txt")"
printf '%-22s %12.3f %14.0f %12s\n' "forewarn score" "$fw_s" "$fw_rate" "$(rss taskset -c "$core" "$work/forewarn" score "$work/big.jsonl")"
printf 'ratio forewarn/fasttext: %.2fx\n' "$(echo "$fw_rate / $ft_rate" | bc -l)"
printf 'sizes: forewarn binary %d bytes, embedded comment model %d bytes, fastText model %d bytes\n' \
	"$(stat -c %s "$work/forewarn")" "$(stat -c %s comment/model/comment.fwm)" "$(stat -c %s "$work/ft.bin")"

# Accuracy on the same test set, for the record.
awk -F'\t' 'NR > 1 { sub(/\r$/, ""); print $2 }' "$data/olid/testset-levela.tsv" > "$work/test.txt"
fasttext predict "$work/ft.bin" "$work/test.txt" > "$work/ft-pred.txt"
paste -d, <(awk -F'\t' 'NR > 1 { print $1 }' "$data/olid/testset-levela.tsv") "$work/ft-pred.txt" |
	awk -F, 'NR == FNR { sub(/\r$/, ""); gold[$1] = $2; next } { p = ($2 == "__label__OFF") ? "OFF" : "NOT"; g = gold[$1]
		if (p == "OFF" && g == "OFF") tp++; else if (p == "OFF") fp++; else if (g == "OFF") fn++; else tn++ }
		END { f1 = 2*tp/(2*tp+fp+fn); f0 = 2*tn/(2*tn+fn+fp); printf "fastText OLID test A macro-F1: %.4f\n", (f1+f0)/2 }' \
		"$data/olid/labels-levela.csv" -
"$work/forewarn" eval --data "$data/olid" | grep macro-F1: | sed 's/^/forewarn /'
