# Makefile for the briefing digest. `make build` (the default) builds the
# binary and the site; `make test` runs every test.

GO      ?= go
BIN     := bin/digest
SITE    ?= .
BASEURL ?=

.PHONY: build disk binary generate test reliability fuzz bench bench-search serve check clean

build: binary
	$(BIN) build --site $(SITE) $(if $(BASEURL),--base-url $(BASEURL))

# A copy of the site to read from disk, without a server: open
# SITE/public-disk/index.html in a browser, or pass the folder on (zipped).
# Its links name index.html files and search reads its index through
# scripts (digest build --for-disk); publish public/, not this.
disk: binary
	$(BIN) build --site $(SITE) --out $(SITE)/public-disk --for-disk $(if $(BASEURL),--base-url $(BASEURL))

check: binary
	$(BIN) check --site $(SITE) $(if $(BASEURL),--base-url $(BASEURL))

# Preview on http://127.0.0.1:1313/ under the base URL's path, with live reload.
serve: binary
	$(BIN) serve --site $(SITE)

# digest-html extracts the story of HTML pages for `digest import`: it
# links go-trafilatura, whose start-up costs digest must not pay on every
# build (see the README's dependency list). digest finds it beside itself.
binary:
	$(GO) build -o $(BIN) ./generator/cmd/digest
	$(GO) build -o $(BIN)-html ./generator/cmd/digest-html

# Regenerates the fast path (generator/render/fastpath_gen.go) from
# layouts/*.html; run it after editing a default layout. Until then the
# edited layout runs as a template: the same pages, written more slowly.
generate:
	$(GO) generate ./...

test:
	$(GO) vet ./...
	$(GO) test ./...

# The long kill test: every step of every kind of build killed, then
# RELIABILITY_KILLS builds of a random walk over site states killed at
# random steps and times; the full-disk test at more steps of more kinds
# of build; and RELIABILITY_EDITS builds of the edit-sequence test (30 to
# 70 s on 2 shared cores; DIGEST_EDITS=2000 by hand takes about 13 min).
# See docs/RELIABILITY.md and docs/ARCHITECTURE.md.
RELIABILITY_KILLS ?= 300
RELIABILITY_EDITS ?= 300
reliability:
	DIGEST_KILLS=$(RELIABILITY_KILLS) DIGEST_EDITS=$(RELIABILITY_EDITS) $(GO) test ./generator/build -run '^(TestKillLong|TestFullDisk|TestEditSequence)$$' -count=1 -v -timeout 30m

# Benchmarks: the build against the floor and Hugo on synthetic corpora of
# 1k and 10k articles (BENCH_100K=1 adds 100k). See docs/BENCHMARKS.md.
bench:
	bench/run.sh

# The search figures at 1k and 10k articles beside Pagefind's on the same
# built site: bytes and time to first result per query, in Chromium. See
# docs/SEARCH.md.
bench-search:
	bench/search.sh

# Each fuzz test for a short while (FUZZTIME=2m for longer).
FUZZTIME ?= 20s
fuzz:
	$(GO) test ./generator/content -run='^$$' -fuzz=FuzzParseFile -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/clean -run='^$$' -fuzz=FuzzClean -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/importer -run='^$$' -fuzz='^FuzzAnalyze$$' -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/importer -run='^$$' -fuzz='^FuzzGenerate$$' -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/articlefile -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/render -run='^$$' -fuzz=FuzzBidiSafe -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/render -run='^$$' -fuzz=FuzzPlainText -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/search -run='^$$' -fuzz=FuzzEncoderTerms -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/htmlpage/extract -run='^$$' -fuzz=FuzzRead -fuzztime=$(FUZZTIME)
	$(GO) test ./generator/build -run='^$$' -fuzz=FuzzBuild -fuzztime=$(FUZZTIME)

# The outputs, and what builds keep beside them (cache, spare, lock).
clean:
	rm -rf bin public .public.digest-cache .public.digest-spare .public.digest-lock
	rm -rf public-disk .public-disk.digest-cache .public-disk.digest-spare .public-disk.digest-lock
