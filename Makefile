# Studiobook — `make run` and `make test` work on a fresh machine (they create .venv and install).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# llama-cpp-python compiles from source; a native build picks up AMX on this CPU kind and the first
# model call segfaults in ggml_backend_amx_mul_mat. A portable build is as fast and never crashes.
export CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
export FORCE_CMAKE := 1
SHARED ?= ../shared
DEMO   ?= $(firstword $(wildcard $(SHARED)/fixtures/demo-studio.json) studiobook/demo/demo-studio.json)
MODEL  ?=

.PHONY: install run test bench eval eval-admin model-large clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/studiobook migrate
	$(BIN)/studiobook serve --load-if-empty $(DEMO)

test: install
	$(BIN)/python -m pytest -q

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

eval: install
	$(BIN)/python -m benchmarks.eval_conversations $(if $(MODEL),--model $(MODEL))

eval-admin: install
	$(BIN)/python -m benchmarks.eval_admin $(if $(MODEL),--model $(MODEL))

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Opt-in larger model (1.07 GB, see DESIGN.md): never a default dependency.
model-large: install
	$(BIN)/python scripts/fetch_large_model.py
