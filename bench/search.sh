#!/usr/bin/env bash
# bench/search.sh (make bench-search): the search figures of docs/SEARCH.md
# at 1k and 10k articles, beside Pagefind's on the same built site.
#
# For each corpus size it makes a synthetic site (gencorpus), builds it with
# digest (its split index), indexes the same output with Pagefind (its
# articles only, as a Hugo site would), and runs TestSearchFigures in
# generator/serve: each of 20 queries in headless Chromium, fresh, with
# what it downloaded (bytes, gzipped bytes, index parts), how long ranking
# took, how long the first result took to show after the index part
# arrived and after the query, and how many of the first ten results the
# two tools share. The tables it prints are the ones docs/SEARCH.md keeps.
#
# Needs chromium (Debian) and Pagefind (PAGEFIND, or npx: Pagefind 1.6.0
# from npm); without Pagefind only digest's columns are printed.
# Environment: BENCH_SIZES (default "1000 10000"); BENCH_TMP (scratch
# directory; default /dev/shm when it has room); PAGEFIND; GO.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
SIZES=${BENCH_SIZES:-1000 10000}

if ! command -v chromium >/dev/null 2>&1; then
	echo "bench-search: chromium is needed (Debian: apt-get install chromium)" >&2
	exit 1
fi
PAGEFIND=${PAGEFIND:-}
if [ -z "$PAGEFIND" ] && command -v npx >/dev/null && npx -y pagefind@1.6.0 --version >/dev/null 2>&1; then
	PAGEFIND="npx -y pagefind@1.6.0"
fi

scratch=${BENCH_TMP:-}
if [ -z "$scratch" ]; then
	scratch=${TMPDIR:-/tmp}
	if [ -d /dev/shm ] && [ -w /dev/shm ] &&
		[ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge $((2 * 1024 * 1024)) ]; then
		scratch=/dev/shm
	fi
fi
work=$(mktemp -d "$scratch/digest-bench-search.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "cores:    $(nproc)"
echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, before the runs)"
echo "chromium: $(chromium --version 2>/dev/null || echo unknown)"
if [ -n "$PAGEFIND" ]; then
	echo "pagefind: $($PAGEFIND --version)"
else
	echo "pagefind: not found; only digest's figures are printed (npx pagefind, or set PAGEFIND)"
fi

$GO build -o bin/digest ./generator/cmd/digest
$GO build -o "$work/bin/" ./generator/corpus/cmd/gencorpus
for n in $SIZES; do
	echo "== $n articles"
	site=$work/site-$n
	out=$work/out-$n
	"$work/bin/gencorpus" -n "$n" -out "$site"
	bin/digest build --site "$site" --out "$out" >/dev/null
	if [ -n "$PAGEFIND" ]; then
		# shellcheck disable=SC2086 # PAGEFIND may be a command and its arguments
		$PAGEFIND --site "$out" --glob "articles/*/index.html" >/dev/null
	fi
	DIGEST_SEARCH_SITE=$out $GO test ./generator/serve -run '^TestSearchFigures$' -count=1 -v -timeout 20m |
		sed -n 's/^ *\(|.*\)$/\1/p; /^\(--- \|ok\|FAIL\)/p'
done
