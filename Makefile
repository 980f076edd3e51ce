# wvtool: `make demo` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
LOWEST ?= .venv-lowest
PY     := $(VENV)/bin/python
WV     := $(VENV)/bin/wvtool
DEMO   ?= demo-output
CORPUS ?= sample_corpora/wiki.txt.gz
# CBOW with 10 epochs: on this 8M-token corpus it ranks queen among the first three for man : king :: woman
# (third with seed 1; skip-gram with 5 epochs ranks it 10th; see sample_corpora/README.md, "Demo settings").
DEMO_TRAIN ?= --model cbow --epochs 10 --seed 1 --threads 1

# The demo's pictures: six words, then four groups of words from the sample corpus.
SIX    := king queen man woman boy girl
GROUPS := --group family=father,mother,son,daughter,brother,sister,wife,husband \
          --group countries=france,germany,italy,spain,china,japan,india,russia \
          --group numbers=two,three,four,five,six,seven,eight \
          --group sciences=physics,chemistry,biology,mathematics,astronomy,geology

.PHONY: help demo test bench lint clean

help:
	@echo "make demo   create .venv, install wvtool, train on the sample corpus, query, evaluate and plot"
	@echo "make test   create .venv (and .venv-lowest), install wvtool with its test dependencies, run the test suite"
	@echo "            with the newest dependencies, then with the lowest versions pyproject.toml declares"
	@echo "make bench  benchmarks against gensim, side by side (needs ../shared/corpora; 3 seeds of each model on text8-head, wiki-text8like and the sample corpus, 16 seeds on text8-head, going on training from a model (6 seeds), plus subword skip-gram and CBOW: about an hour on 2 cores)"
	@echo "make lint   ruff"

# The environment: runtime dependencies for the demo, plus gensim & co for the tests.
# Each stamp is rebuilt when pyproject.toml changes.
$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $@

# The suite runs twice: with the newest releases pip picks, then with the lowest versions pyproject.toml declares.
test: $(VENV)/.installed-test $(LOWEST)/.installed-test
	$(PY) -m pytest -n 2 -q tests
	NUMBA_CACHE_DIR=$(LOWEST)/numba-cache $(LOWEST)/bin/python -m pytest -n 2 -q -p no:cacheprovider tests

$(LOWEST)/.installed-test: pyproject.toml tests/lowest-versions.txt
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(LOWEST)/bin/python -m pip install --quiet -c tests/lowest-versions.txt -e '.[test]'
	@touch $@

bench: $(VENV)/.installed-test
	COLUMNS=120 $(PY) tests/bench/run.py

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check wvtool tests

demo: $(VENV)/.installed
	@mkdir -p $(DEMO)
	$(WV) train $(CORPUS) -o $(DEMO)/vectors.wv $(DEMO_TRAIN)
	$(WV) neighbors $(DEMO)/vectors.wv king france computer music -k 5
	$(WV) analogy $(DEMO)/vectors.wv man king woman -k 3
	$(WV) eval $(DEMO)/vectors.wv --summary
	$(WV) plot $(DEMO)/vectors.wv $(SIX) -o $(DEMO)/six-words.png
	$(WV) plot $(DEMO)/vectors.wv $(GROUPS) -o $(DEMO)/groups.png
	@echo "demo done: vectors and pictures in $(DEMO)/ (open $(DEMO)/six-words.png and $(DEMO)/groups.png)"

clean:
	rm -rf $(DEMO) .pytest_cache build *.egg-info
