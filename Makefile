# The course's two everyday commands are `make start` and `make test` (see README.md).
# Every target is idempotent: the virtual environment is only rebuilt when
# pyproject.toml or requirements.lock change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := crm-course

.PHONY: setup start build learner test lint unit notebooks bench lock clean help

help:
	@echo "make start    set everything up and open the course in JupyterLab"
	@echo "make test     run every test: lint, unit tests, doctests, notebooks (nbval)"
	@echo "make build    re-execute every notebook in place and store the outputs"
	@echo "make learner  write the learner edition (learner/: no solutions, no trainer notes)"
	@echo "make setup    only create .venv and install the pinned dependencies"
	@echo "make bench    run the benchmarks (prints speed ratios)"
	@echo "make lock     re-resolve the dependencies and rewrite requirements.lock"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
		--display-name "CRM course (Python 3)" >/dev/null
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
	$(BIN)/pytest -n 2

notebooks: setup
	TQDM_DISABLE=1 PYTHONHASHSEED=0 $(BIN)/pytest -n 2 --dist loadfile --nbval notebooks/ --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-kernel-name $(KERNEL)

test: lint unit notebooks

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
