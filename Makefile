# The two commands of the README. Both set up what they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install chromium redis clean

## make demo: set up, crawl the bundled demo site into data/kb.db, serve it on http://127.0.0.1:8001/
demo: install
	$(BIN)/kb demo

## make test: set up and run the test suite (the browser tests need Chromium: installed here if missing)
test: install chromium redis
	$(BIN)/pytest -q

# Debian's Chromium and fonts for Korean and Chinese, for the Playwright tests; Playwright never
# downloads a browser. Installed when missing and we are root (CI); otherwise one clear message.
CHROMIUM_PACKAGES := chromium fonts-nanum fonts-wqy-microhei
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $(CHROMIUM_PACKAGES) for the browser tests"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(CHROMIUM_PACKAGES); \
	  else \
	    echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install -y $(CHROMIUM_PACKAGES)', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# Debian's redis-server, for the scale-out tests (two crawlers sharing one frontier). Installed when
# missing and we are root (CI); otherwise one clear message.
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing redis-server for the scale-out tests"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server; \
	  else \
	    echo "The scale-out tests need redis-server: run 'sudo apt-get install -y redis-server', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) data/kb.db data/kb.db-wal data/kb.db-shm
