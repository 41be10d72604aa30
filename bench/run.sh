#!/usr/bin/env bash
# bench/run.sh (make bench): times the digest's build against the floor and
# Hugo on synthetic corpora, side by side, and prints a table of medians and
# ratios. See docs/BENCHMARKS.md.
#
# For each corpus size (1k and 10k articles; BENCH_100K=1 adds 100k) and
# each of BENCH_RUNS rounds (default 3), it runs one after the other, so
# every tool sees the same machine load:
#
#   floor        read, parse front matter, render markdown, write HTML
#                (generator/bench/cmd/floor)
#   cold         digest build into an empty output, no cache
#   warm         digest build again, nothing changed (uses the cache file
#                the build keeps beside its output)
#   edit         digest build after appending a line to one article
#   hugo         hugo on the same articles with bench/hugo's templates
#
# then once the in-process rebuilds of one build.Builder, as the preview
# server uses it (generator/bench/cmd/buildtime: Build, and Rebuild told
# the changed file), and, when `digest import` works, import throughput on
# copies of the seed pages.
#
# Environment: BENCH_RUNS; BENCH_SIZES (e.g. "1000"); BENCH_100K=1;
# BENCH_HUGO_100K=1 (Hugo at 100k needs many GB of memory); BENCH_TMP (the
# scratch directory; default /dev/shm, a tmpfs, when it has room, so disk
# noise stays out of the figures); BENCH_SEEDS (raw pages to import;
# default ../shared/seeds); BENCH_GO=1 (also run the Go benchmarks); GO.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
RUNS=${BENCH_RUNS:-3}
SIZES=${BENCH_SIZES:-1000 10000}
if [ "${BENCH_100K:-0}" = 1 ]; then
	SIZES="$SIZES 100000"
fi

TIME=/usr/bin/time
if ! "$TIME" -f %e true >/dev/null 2>&1; then
	echo "bench: GNU time is needed at $TIME (Debian: apt-get install time)" >&2
	exit 1
fi
HUGO=$(command -v hugo || true)
# Pagefind indexes Hugo's output, for the row of a search index made the
# way a Hugo site makes one (PAGEFIND, or npx: Pagefind 1.6.0 from npm).
PAGEFIND=${PAGEFIND:-}
if [ -z "$PAGEFIND" ] && command -v npx >/dev/null && npx -y pagefind@1.6.0 --version >/dev/null 2>&1; then
	PAGEFIND="npx -y pagefind@1.6.0"
fi

# The scratch directory holds the corpora and the outputs: about 1 GB at 10k
# articles, 8 GB at 100k. /dev/shm is used when it has that much room (a
# container's is often 64 MB).
need_kb=$((2 * 1024 * 1024))
case " $SIZES " in *" 100000 "*) need_kb=$((8 * 1024 * 1024)) ;; esac
scratch=${BENCH_TMP:-}
if [ -z "$scratch" ]; then
	scratch=${TMPDIR:-/tmp}
	if [ -d /dev/shm ] && [ -w /dev/shm ] &&
		[ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge "$need_kb" ]; then
		scratch=/dev/shm
	fi
fi
work=$(mktemp -d "$scratch/digest-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
results=$work/results
: >"$results"

echo "== machine"
echo "cores:  $(nproc)"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, before the runs)"
echo "go:     $($GO version)"
if [ -n "$HUGO" ]; then
	echo "hugo:   $($HUGO version)"
else
	echo "hugo:   not installed; Hugo is skipped (Debian: apt-get install hugo)"
fi
if [ -n "$PAGEFIND" ]; then
	echo "pagefind: $($PAGEFIND --version)"
else
	echo "pagefind: not found; the Hugo + Pagefind row is skipped (npx pagefind, or set PAGEFIND)"
fi
echo "scratch: $scratch"

echo "== building"
$GO build -o bin/digest ./generator/cmd/digest
$GO build -o "$work/bin/" ./generator/corpus/cmd/gencorpus ./generator/bench/cmd/floor ./generator/bench/cmd/buildtime
digest=$PWD/bin/digest

# measure N STEP CMD...: runs CMD under GNU time and records
# "N STEP wall user sys peak-KB".
measure() {
	local n=$1 step=$2
	shift 2
	if ! "$TIME" -f '%e %U %S %M' -o "$work/time" "$@" >"$work/log" 2>&1; then
		cat "$work/log" "$work/time" >&2
		echo "bench: $step at $n articles failed" >&2
		exit 1
	fi
	echo "$n $step $(tail -n1 "$work/time")" >>"$results"
}

# fresh removes the output directory and what the build keeps beside it
# (the cache file, the spare tree, the lock file).
out=$work/out
fresh() { rm -rf "$out" "$work/.out.digest-cache" "$work/.out.digest-spare" "$work/.out.digest-lock"; }

# Can this checkout import? (issue 3; "not implemented" until it lands)
seeds=${BENCH_SEEDS:-../shared/seeds}
import_works=0
if [ -d "$seeds" ] && "$digest" import --dry-run --site . "$seeds" >/dev/null 2>&1; then
	import_works=1
else
	echo "import: skipped (no raw pages in $seeds, or digest import failed on them; set BENCH_SEEDS)"
fi

for n in $SIZES; do
	echo "== $n articles"
	site=$work/site-$n
	"$work/bin/gencorpus" -n "$n" -out "$site"
	articles=("$site"/content/articles/*.md)
	edit=${articles[0]}
	unset articles

	hugo_site=""
	if [ -n "$HUGO" ] && { [ "$n" -lt 100000 ] || [ "${BENCH_HUGO_100K:-0}" = 1 ]; }; then
		# Hugo reserves the front matter key `url` for the page's own
		# address; the digest's `url` (the original article) becomes
		# `original` in Hugo's copy.
		hugo_site=$work/hugo-$n
		cp -r bench/hugo "$hugo_site"
		mkdir -p "$hugo_site/content"
		cp -r "$site/content/articles" "$hugo_site/content/articles"
		find "$hugo_site/content/articles" -name '*.md' -exec sed -i '2,/^---$/s/^url: /original: /' {} +
	fi

	for r in $(seq "$RUNS"); do
		echo "-- run $r of $RUNS"
		fresh
		measure "$n" floor "$work/bin/floor" -site "$site" -out "$out"
		fresh
		measure "$n" cold "$digest" build --quiet --site "$site" --out "$out"
		measure "$n" warm "$digest" build --quiet --site "$site" --out "$out"
		printf '\nEdited in run %s.\n' "$r" >>"$edit"
		measure "$n" edit "$digest" build --quiet --site "$site" --out "$out"
		fresh
		if [ -n "$hugo_site" ]; then
			measure "$n" hugo "$HUGO" --quiet --source "$hugo_site" --destination "$out" --cacheDir "$work/hugo-cache"
			if [ -n "$PAGEFIND" ]; then
				# shellcheck disable=SC2086 # PAGEFIND may be a command and its arguments
				measure "$n" pagefind $PAGEFIND --site "$out" --glob "articles/*/index.html"
				# Hugo and Pagefind together: wall, user and sys added, the larger peak.
				awk -v n="$n" '$1 == n && $2 == "hugo" { h = $0 } $1 == n && $2 == "pagefind" { p = $0 }
					END { split(h, a, " "); split(p, b, " "); printf "%s hugo+pagefind %.2f %.2f %.2f %d\n", n, a[3] + b[3], a[4] + b[4], a[5] + b[5], (a[6] > b[6] ? a[6] : b[6]) }' \
					<(tail -n 2 "$results") >>"$results"
			fi
			fresh
		fi
	done

	echo "-- in-process rebuilds (one build.Builder)"
	"$TIME" -f '%e %U %S %M' -o "$work/time" "$work/bin/buildtime" -site "$site" -out "$out" -runs 5 >"$work/inproc"
	while read -r step secs; do
		echo "$n builder-$step $secs - - $(tail -n1 "$work/time" | cut -d' ' -f4)" >>"$results"
	done <"$work/inproc"
	fresh

	if [ "$import_works" = 1 ]; then
		# Copies of the seed pages, n/10 of them, each under its own name.
		raw=$work/raw-$n
		mkdir -p "$raw"
		pages=$((n / 10))
		seed_pages=("$seeds"/*.txt)
		for i in $(seq "$pages"); do
			cp "${seed_pages[$((i % ${#seed_pages[@]}))]}" "$raw/page-$i.txt"
		done
		for r in $(seq "$RUNS"); do
			rm -rf "$work/imported"
			measure "$n" "import-$pages" "$digest" import --force --site "$site" --out "$work/imported" "$raw"
		done
		rm -rf "$work/imported" "$raw"
	fi
	rm -rf "$site" "$hugo_site"
done

# HTML import beside text import, on the same pages: the extraction
# benchmark's development half, as saved HTML (dev-html/*.html.gz) and as
# saved text (dev/*.txt), each imported whole, one after the other.
extraction=${BENCH_EXTRACTION:-../shared/extraction-benchmark}
if [ -d "$extraction/dev-html" ] && [ -d "$extraction/dev" ]; then
	echo "== import of the extraction benchmark's pages, HTML and text"
	site=$work/site-import
	"$work/bin/gencorpus" -n 1 -out "$site"
	for kind in html text; do
		raw=$work/raw-$kind
		mkdir -p "$raw"
		if [ "$kind" = html ]; then
			cp "$extraction"/dev-html/*.html.gz "$raw/"
		else
			cp "$extraction"/dev/*.txt "$raw/"
			rm -f "$raw"/*.gold.txt
		fi
		pages=$(find "$raw" -type f | wc -l)
		for r in $(seq "$RUNS"); do
			rm -rf "$work/imported"
			# Some pages have no story the importer finds: they fail
			# alike in every run, so the exit status is ignored.
			"$TIME" -f '%e %U %S %M' -o "$work/time" "$digest" import --force --site "$site" --out "$work/imported" "$raw" >/dev/null 2>&1 || true
			echo "$kind import-$pages $(tail -n1 "$work/time")" >>"$results"
		done
		rm -rf "$work/imported" "$raw"
	done
	rm -rf "$site"
else
	echo "html import: skipped (no $extraction/dev-html; set BENCH_EXTRACTION)"
fi

# median N STEP FIELD: the median of a field over the runs (3 wall, 4 user,
# 5 sys, 6 peak KB, 7 user+sys).
median() {
	awk -v n="$1" -v s="$2" -v f="$3" '$1 == n && $2 == s { print (f == 7 ? $4 + $5 : $f) }' "$results" |
		sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2f", a / b; else printf "-" }'; }
mb() { awk -v k="$1" 'BEGIN { if (k != "" && k != "-") printf "%d", k / 1024; else printf "-" }'; }

echo
echo "== results: median of $RUNS runs (in-process: median of 5 rebuilds); wall and CPU (user+sys) in seconds, peak RSS in MB"
printf '%-9s %-38s %8s %8s %8s\n' articles step wall cpu peak-MB
for n in $SIZES; do
	for step in floor cold warm edit hugo hugo+pagefind; do
		w=$(median "$n" "$step" 3)
		[ -n "$w" ] || continue
		case $step in
		floor) label="floor (read, parse, goldmark, write)" ;;
		cold) label="digest build, cold" ;;
		warm) label="digest build, nothing changed" ;;
		edit) label="digest build, one article edited" ;;
		hugo) label="hugo" ;;
		hugo+pagefind) label="hugo, then pagefind over its articles" ;;
		esac
		printf '%-9s %-38s %8s %8s %8s\n' "$n" "$label" "$w" "$(median "$n" "$step" 7)" "$(mb "$(median "$n" "$step" 6)")"
	done
	for step in cold warm edit edit-hinted; do
		w=$(median "$n" "builder-$step" 3)
		[ -n "$w" ] || continue
		case $step in
		cold) label="in process: first Build (cold)" ;;
		warm) label="in process: Build, nothing changed" ;;
		edit) label="in process: Build, one edited" ;;
		edit-hinted) label="in process: Rebuild told the file" ;;
		esac
		printf '%-9s %-38s %8s %8s %8s\n' "$n" "$label" "$w" - "$(mb "$(median "$n" "builder-$step" 6)")"
	done
	imp=$(awk -v n="$n" '$1 == n && $2 ~ /^import-/ { print $2; exit }' "$results")
	if [ -n "$imp" ]; then
		w=$(median "$n" "$imp" 3)
		printf '%-9s %-38s %8s %8s %8s  (%s pages/s)\n' "$n" "digest import, ${imp#import-} pages" "$w" "$(median "$n" "$imp" 7)" \
			"$(mb "$(median "$n" "$imp" 6)")" "$(awk -v p="${imp#import-}" -v w="$w" 'BEGIN { printf "%.0f", p / w }')"
	fi
done

for kind in html text; do
	imp=$(awk -v n="$kind" '$1 == n && $2 ~ /^import-/ { print $2; exit }' "$results")
	[ -n "$imp" ] || continue
	w=$(median "$kind" "$imp" 3)
	printf '%-9s %-38s %8s %8s %8s  (%s pages/s)\n' "$kind" "digest import, ${imp#import-} bench pages" "$w" "$(median "$kind" "$imp" 7)" \
		"$(mb "$(median "$kind" "$imp" 6)")" "$(awk -v p="${imp#import-}" -v w="$w" 'BEGIN { printf "%.0f", p / w }')"
done

echo
echo "== ratios of medians: wall time (CPU time, user+sys, in brackets)"
printf '%-9s %16s %16s %16s %16s\n' articles build/floor hugo/build hugo/floor warm/cold
for n in $SIZES; do
	row=$n
	for pair in "cold floor" "hugo cold" "hugo floor" "warm cold"; do
		set -- $pair
		row="$row|$(ratio "$(median "$n" "$1" 3)" "$(median "$n" "$2" 3)") ($(ratio "$(median "$n" "$1" 7)" "$(median "$n" "$2" 7)"))"
	done
	IFS='|' read -r a b c d e <<<"$row"
	printf '%-9s %16s %16s %16s %16s\n' "$a" "$b" "$c" "$d" "$e"
done

# runratio N A B FIELD: the median over the runs of A/B, each run's A and B
# taken back to back, so that load which changes between runs cancels out.
runratio() {
	awk -v n="$1" -v a="$2" -v b="$3" -v f="$4" '
		$1 == n && ($2 == a || $2 == b) { v = (f == 7 ? $4 + $5 : $f); if ($2 == a) x[++na] = v; else y[++nb] = v }
		END { for (i = 1; i <= na && i <= nb; i++) if (y[i] > 0) print x[i] / y[i] }' "$results" |
		sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", v[int((NR + 1) / 2)]; else printf "-" }'
}
echo
echo "== median of the runs' own ratios: wall time (CPU time in brackets)"
printf '%-9s %16s %16s %16s\n' articles build/floor hugo/build hugo/floor
for n in $SIZES; do
	printf '%-9s %16s %16s %16s\n' "$n" "$(runratio "$n" cold floor 3) ($(runratio "$n" cold floor 7))" \
		"$(runratio "$n" hugo cold 3) ($(runratio "$n" hugo cold 7))" "$(runratio "$n" hugo floor 3) ($(runratio "$n" hugo floor 7))"
done
if [ -n "$PAGEFIND" ]; then
	printf '%-9s %32s\n' articles "(hugo+pagefind)/build, with index"
	for n in $SIZES; do
		printf '%-9s %32s\n' "$n" "$(runratio "$n" hugo+pagefind cold 3) ($(runratio "$n" hugo+pagefind cold 7))"
	done
fi
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, after the runs)"
if [ "${BENCH_100K:-0}" = 1 ]; then
	echo "100k/10k cold build time: $(ratio "$(median 100000 cold 3)" "$(median 10000 cold 3)")"
fi

if [ "${BENCH_GO:-0}" = 1 ]; then
	echo
	echo "== Go benchmarks (1,000 articles)"
	TMPDIR=$work GOGC=${GOGC:-400} GOMEMLIMIT=${GOMEMLIMIT:-1536MiB} $GO test -run '^$' -bench . -benchtime 3x ./generator/bench/ -args -articles 1000
fi
