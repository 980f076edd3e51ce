# wvtool: `make demo` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
WV     := $(VENV)/bin/wvtool
DEMO   ?= demo-output

.PHONY: all demo test bench lint clean help

help:
	@echo "make demo   create .venv, install wvtool, train on the sample corpus, query and plot"
	@echo "make test   create .venv, install wvtool with test dependencies, run the test suite"
	@echo "make bench  benchmarks against gensim (needs ../shared/corpora)"
	@echo "make lint   ruff"

# The environment is (re)built when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $@

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 -q tests

bench: $(VENV)/.installed
	$(PY) tests/bench/run.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check wvtool tests

demo: $(VENV)/.installed
	@mkdir -p $(DEMO)
	$(WV) train sample_corpora/books.txt.gz -o $(DEMO)/vectors.wv --seed 1
	$(WV) info $(DEMO)/vectors.wv
	$(WV) neighbors $(DEMO)/vectors.wv king water ship love -k 8
	$(WV) analogy $(DEMO)/vectors.wv man king woman
	$(WV) eval $(DEMO)/vectors.wv
	$(WV) plot $(DEMO)/vectors.wv --top 150 -o $(DEMO)/top150.png
	@echo "demo done: the vectors and the plot are in $(DEMO)/"

clean:
	rm -rf $(DEMO) .pytest_cache build *.egg-info
