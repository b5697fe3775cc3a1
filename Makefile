# The two commands of the README:
#   make lab   - set everything up and open the notebooks in JupyterLab
#   make test  - set everything up and run the unit tests and the notebooks
# Both need only python3 (3.11+), pip and make; re-running them installs nothing
# new unless pyproject.toml or constraints.txt changed (stamp files in .venv/).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
export KERAS_BACKEND := jax
export JUPYTER_PLATFORM_DIRS := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab test unit notebooks bench constraints clean system-packages

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab notebooks/ $(LAB_ARGS) $(if $(filter 0,$(shell id -u)),--allow-root,)

test: $(VENV)/.test-installed system-packages
	$(BIN)/python -m pytest tests notebooks --nbval $(PYTEST_ARGS)

unit: $(VENV)/.test-installed
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

notebooks: $(VENV)/.test-installed
	$(BIN)/python -m pytest notebooks --nbval $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run_all.py

# A virtual environment, with the standard venv module where it works and
# virtualenv (installed into .tools/, allowed under PEP 668) where it does not.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  $(PYTHON) -m pip install --quiet --target .tools virtualenv && \
	  PYTHONPATH=.tools $(PYTHON) -m virtualenv $(VENV); }
	$(PIP) install --quiet --upgrade pip

$(VENV)/.lab-installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[lab]'
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[lab,test]'
	touch $@ $(VENV)/.lab-installed

# System packages the tests use: Debian's chromium for the real-browser test.
# Installed only when missing and when we are root; otherwise that test says
# why it cannot run.
system-packages:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Refresh constraints.txt from a fresh resolve (then update environment.yml).
constraints:
	rm -rf /tmp/augkit-constraints-venv
	$(PYTHON) -m venv /tmp/augkit-constraints-venv
	/tmp/augkit-constraints-venv/bin/pip install --quiet -e '.[lab,test]'
	{ sed -n "1,3p" constraints.txt; /tmp/augkit-constraints-venv/bin/pip freeze --exclude-editable | sed "s/^Keras-Preprocessing/keras-preprocessing/"; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .tools build *.egg-info
