# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint docs bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/graphstep demo

# Style and layering: ruff, and import-linter's contracts in pyproject.toml (layers only point down).
lint: $(VENV)/.installed
	$(BIN)/ruff check graphstep tests benchmarks examples docs fuzz
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

# Deep random runs for finding new bugs (make test is derandomized and repeatable).
FUZZ_SEED ?= $(shell date +%s)
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider -m hypothesis tests
	$(BIN)/python fuzz/parser.py --count 100000 --seed $(FUZZ_SEED)
	$(BIN)/python fuzz/differential.py --scalar 2000 --tensor 500 --seed $(FUZZ_SEED)
	$(BIN)/python fuzz/jax_differential.py --count 2000 --depth 4 --seed $(FUZZ_SEED)

# The README's pictures are redrawn from the README's own code first (docs/images/make_images.py).
docs: $(VENV)/.installed
	$(BIN)/python docs/images/make_images.py
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/scalar_vs_micrograd.py
	$(BIN)/python benchmarks/tensor_mlp.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/stepper.py
	$(BIN)/python benchmarks/jax_model.py

clean:
	rm -rf $(VENV) docs/_build graphstep-demo .pytest_cache .hypothesis
