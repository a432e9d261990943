# The course's two everyday commands are `make start` and `make test` (see README.md).
# Every target is idempotent: the virtual environment is only rebuilt when
# pyproject.toml or requirements.lock change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := crm-course

.PHONY: setup start build learner test lint unit notebooks browser site slides app bench lock clean help

help:
	@echo "make start    set everything up and open the course in JupyterLab"
	@echo "make test     run every test: lint, unit tests, doctests, notebooks (nbval)"
	@echo "make build    re-execute every notebook in place and store the outputs"
	@echo "make learner  write the learner edition (learner/: no solutions, no trainer notes)"
	@echo "make setup    only create .venv and install the pinned dependencies"
	@echo "make site     build the course site (learner and trainer editions) in build/site"
	@echo "make slides   build one slide deck per lesson in build/slides"
	@echo "make app      start the no-code CRM health check on http://127.0.0.1:8765"
	@echo "make browser  run the browser tests (headless Chromium; skipped if absent)"
	@echo "make bench    run the benchmarks (prints speed ratios)"
	@echo "make lock     re-resolve the dependencies and rewrite requirements.lock"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	$(BIN)/python -m crm_lessons.kernel --sys-prefix >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

# JupyterLab refuses to run as root unless told; containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

start: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/

build: setup
	$(BIN)/python -m crm_lessons.build

learner: setup
	$(BIN)/python -m crm_lessons.learner

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: setup
	$(BIN)/pytest -n 2 --ignore=tests/browser

notebooks: setup
	TQDM_DISABLE=1 PYTHONHASHSEED=0 $(BIN)/pytest -n 2 --dist loadfile --nbval notebooks/ --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-kernel-name $(KERNEL)

# End-to-end tests in a real browser: Debian's chromium + chromium-driver
# (apt-get install chromium chromium-driver). Without them the step says so and skips.
browser: setup
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		$(BIN)/pytest -q tests/browser; \
	else \
		echo "SKIPPED browser tests: /usr/bin/chromium or /usr/bin/chromedriver not found"; \
		echo "        (install with: apt-get install chromium chromium-driver)"; \
	fi

test: lint unit notebooks browser

site: setup
	$(BIN)/python -m crm_lessons.site

slides: setup
	$(BIN)/python -m crm_lessons.site --slides

APP_PORT ?= 8765
app: setup
	$(BIN)/python -m crm_lessons.app --port $(APP_PORT)

bench: setup
	$(BIN)/python bench/run_all.py

lock:
	rm -rf /tmp/crm-lock-venv
	$(PYTHON) -m venv /tmp/crm-lock-venv
	/tmp/crm-lock-venv/bin/python -m pip install --quiet --upgrade "pip>=24"
	/tmp/crm-lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	( echo "# Pinned versions used by 'make setup' and CI so stored notebook outputs reproduce."; \
	  echo "# Regenerate with 'make lock' (then 'make build' and commit both)."; \
	  /tmp/crm-lock-venv/bin/python -m pip freeze --exclude-editable | sort -f ) > requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info
