#!/bin/sh
# linkcheck.sh: check every link of the bundled digest as a browser would
# see it under a subpath, with an independent crawler (Debian's linkchecker).
#
#   scripts/linkcheck.sh          serve with `digest serve` (the default)
#   scripts/linkcheck.sh static   build into a temporary directory and serve
#                                 it with a plain static server, as GitHub
#                                 Pages would (needs python3)
#
# The site is served at http://127.0.0.1:$PORT/briefing/ (PORT defaults to
# 8087). linkchecker crawls it from there, checking every internal link,
# anchor and asset; external URLs are never fetched (that is linkchecker's
# default without --check-extern). The exit status is linkchecker's: 0 when
# no link is broken, 1 when one is, 2 on an error of its own; this script
# exits 2 itself when it cannot start the server.
set -eu

mode="${1:-serve}"
cd "$(dirname "$0")/.."

PORT="${PORT:-8087}"
BASE="http://127.0.0.1:$PORT/briefing/"

if ! command -v linkchecker >/dev/null 2>&1; then
	echo "linkcheck: linkchecker not found; install the Debian package linkchecker" >&2
	exit 2
fi

make binary >/dev/null

tmp="$(mktemp -d)"
server=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

case "$mode" in
serve)
	bin/digest serve --site . --port "$PORT" --base-url "$BASE" >"$tmp/server.log" 2>&1 &
	server=$!
	;;
static)
	bin/digest build --site . --out "$tmp/root/briefing" --base-url "$BASE" >"$tmp/build.log" 2>&1 || {
		cat "$tmp/build.log" >&2
		exit 2
	}
	python3 -m http.server --bind 127.0.0.1 --directory "$tmp/root" "$PORT" >"$tmp/server.log" 2>&1 &
	server=$!
	;;
*)
	echo "usage: scripts/linkcheck.sh [serve|static]" >&2
	exit 2
	;;
esac

# Wait up to 30 seconds for the site to answer.
tries=0
until curl -fsS -o /dev/null "$BASE" 2>/dev/null; do
	tries=$((tries + 1))
	if ! kill -0 "$server" 2>/dev/null || [ "$tries" -ge 60 ]; then
		echo "linkcheck: the $mode server did not come up at $BASE:" >&2
		cat "$tmp/server.log" >&2
		exit 2
	fi
	sleep 0.5
done

status=0
linkchecker --no-warnings --no-status "$BASE" || status=$?
exit "$status"
