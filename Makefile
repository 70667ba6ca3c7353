# The two commands of the README. Both set up what they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install clean

## make demo: set up, crawl the bundled demo site into data/kb.db, serve it on http://127.0.0.1:8001/
demo: install
	$(BIN)/kb demo

## make test: set up and run the test suite
test: install
	$(BIN)/pytest -q

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) data/kb.db data/kb.db-wal data/kb.db-shm
