# The two commands of the README:
#   make lab   - set everything up and open the notebooks in JupyterLab
#   make test  - set everything up and run the unit tests and the notebooks
# Also: make unit, notebooks, bench, fuzz, check-lab, test-latest, dist (see each target).
# Both need only python3 (3.11+), pip and make; re-running them installs nothing
# new unless pyproject.toml or constraints.txt changed (stamp files in .venv/).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
export KERAS_BACKEND := jax
export JUPYTER_PLATFORM_DIRS := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab test unit notebooks bench fuzz check-lab test-latest dist constraints clean system-packages

# The notebooks a learner opens (notebooks/_execute.py is a tool, not a lesson).
COURSE := $(sort $(wildcard notebooks/[0-9]*.ipynb))

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

# Exploration, not a verdict: the property tests with fresh random examples
# and 20 times as many (make test always runs the same, derandomised ones).
fuzz: $(VENV)/.test-installed
	$(BIN)/python -m pytest tests --hypothesis-profile=fuzz --hypothesis-show-statistics -q $(PYTEST_ARGS)

# Every notebook, executed (outputs not compared) in an environment holding
# only what `make lab` installs, each in an empty folder away from the checkout.
check-lab: .venv-lab/.lab-installed
	.venv-lab/bin/python notebooks/_execute.py --check $(COURSE)

# The same with the newest release of every dependency (no constraints.txt):
# tells early when a new release breaks the course. Optional; needs the network.
test-latest:
	$(call make-venv,.venv-latest)
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[lab]'
	.venv-latest/bin/python -m pip list --format=freeze | grep -i -E '^(numpy|scipy|scikit-image|matplotlib|pillow|ipywidgets|keras|jax|pandas)=='
	.venv-latest/bin/python notebooks/_execute.py --check $(COURSE)

# The wheel (dist/augkit-*.whl), with the bundled data inside as augkit/data/.
dist: $(BIN)/python
	rm -rf build dist
	$(PIP) wheel --quiet --no-deps --wheel-dir dist .
	rm -rf build
	@ls -l dist/*.whl

# A virtual environment, with the standard venv module where it works and
# virtualenv (installed into .tools/, allowed under PEP 668) where it does not.
define make-venv
	test -x $(1)/bin/python || $(PYTHON) -m venv $(1) 2>/dev/null || { \
	  rm -rf $(1); \
	  $(PYTHON) -m pip install --quiet --target .tools virtualenv && \
	  PYTHONPATH=.tools $(PYTHON) -m virtualenv $(1); }
	$(1)/bin/python -m pip install --quiet --upgrade pip
endef

$(BIN)/python:
	$(call make-venv,$(VENV))

$(VENV)/.lab-installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[lab]'
	touch $@

.venv-lab/bin/python:
	$(call make-venv,.venv-lab)

.venv-lab/.lab-installed: .venv-lab/bin/python pyproject.toml constraints.txt
	.venv-lab/bin/python -m pip install --quiet -c constraints.txt -e '.[lab]'
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
	{ sed -n "1,3p" constraints.txt; /tmp/augkit-constraints-venv/bin/pip freeze --all --exclude pip --exclude-editable | sed "s/^Keras-Preprocessing/keras-preprocessing/"; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .venv-lab .venv-latest .tools build dist *.egg-info
