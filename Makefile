# analystkit: `make lab` opens the notebooks on the seeds, `make test` runs every test.
# Needs only Python >= 3.11 and make; everything else is installed into .venv/.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8888

.PHONY: venv lab dashboard test test-fast bench quality clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "analystkit needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.lab: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip install --quiet -e '.[lab]'
	@touch $@

$(VENV)/.test: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip install --quiet -e '.[lab,test]'
	@touch $@

$(VENV)/.dev: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.lab $(VENV)/.test

venv: $(VENV)/.dev

## set up and open JupyterLab on notebooks/ (the notebooks load ../seeds by default)
lab: $(VENV)/.lab
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT)

## the same panels as a Voila app
dashboard: $(VENV)/.lab
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(VENV)/bin/voila notebooks/dashboard.ipynb --template=analystkit --Voila.ip=127.0.0.1 --port=$(PORT) --no-browser

## set up and run every test: unit tests, notebooks under nbval, the browser test
test: $(VENV)/.test
	$(PY) -m pytest tests notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

## unit tests only (no notebooks, no browser)
test-fast: $(VENV)/.test
	$(PY) -m pytest tests -m "not browser" -q -p no:cacheprovider

bench: $(VENV)/.dev
	$(PY) benchmarks/bench.py

quality: $(VENV)/.test
	$(PY) benchmarks/quality.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
