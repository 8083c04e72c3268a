# ociedge — see README.md. Every target works on a fresh machine with Go.
GO       ?= go
BIN      := bin
FUZZTIME ?= 3s

.PHONY: all build test test-short fuzz-smoke fuzz bench run soak clean

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/ocicore ./cmd/ociedge ./cmd/ocibench

# The whole check a newcomer needs: vet, unit and loopback integration tests
# under the race detector, then a short run of every fuzz target.
test: build
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 14m ./...
	$(MAKE) fuzz-smoke

test-short:
	$(GO) test -count=1 -short ./...

# Each fuzz target for FUZZTIME, from its committed seed corpus.
fuzz-smoke:
	@./scripts/fuzz.sh $(FUZZTIME)

fuzz:
	@./scripts/fuzz.sh 60s

bench: build
	./scripts/bench.sh

run: build
	$(BIN)/ociedge demo

soak: build
	./scripts/soak.sh

clean:
	rm -rf $(BIN)
