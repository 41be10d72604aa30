# Makefile for the briefing digest. `make build` (the default) builds the
# binary and the site; `make test` runs every test.

GO      ?= go
BIN     := bin/digest
SITE    ?= .
BASEURL ?=

.PHONY: build binary test fuzz bench serve check clean

build: binary
	$(BIN) build --site $(SITE) $(if $(BASEURL),--base-url $(BASEURL))

check: binary
	$(BIN) check --site $(SITE) $(if $(BASEURL),--base-url $(BASEURL))

binary:
	$(GO) build -o $(BIN) ./generator/cmd/digest

test:
	$(GO) vet ./...
	$(GO) test ./...

clean:
	rm -rf bin public
