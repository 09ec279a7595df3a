# Accord: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin/accord
DB ?= sqlite:./accord.db
ADDR ?= 127.0.0.1:8080
DEMO_BORROWERS ?= 5000

.PHONY: run build assets test bench openapi clean fmt vet

## run: build, create ./accord.db with a demo portfolio on first run, and serve http://127.0.0.1:8080
run: build
	@if [ ! -f accord.db ]; then \
		$(BIN) demo --db $(DB) --borrowers $(DEMO_BORROWERS) --seed 1 && \
		$(BIN) run --db $(DB); \
	fi
	$(BIN) serve --db $(DB) --addr $(ADDR)

## build: front-end assets (pinned npm packages) and the single binary
build: assets
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/accord

## assets: install the pinned front-end packages and copy them where go:embed finds them
assets:
	@bash scripts/assets.sh

## test: install what the tests need (PostgreSQL 15, Chromium), start them on loopback, run every test on both engines
test: assets
	@bash scripts/test.sh

## bench: the performance figures recorded in docs/BENCHMARKS.md
bench: build
	@bash scripts/bench.sh

## openapi: regenerate docs/openapi.json from the code
openapi:
	$(GO) run ./cmd/accord openapi > docs/openapi.json

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

clean:
	rm -rf bin internal/web/static/vendor node_modules
