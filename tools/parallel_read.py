"""Let Sphinx read the book in parallel although two of Jupyter Book's extensions do not say it may.

Jupyter Book 1.x always loads ``sphinx_multitoc_numbering`` (continuous chapter numbers across
the parts of ``_toc.yml``) and ``sphinx_jupyterbook_latex``. Neither declares anything about
parallel reading, so Sphinx assumes it unsafe, warns (an error under ``-W``) and reads, that is
executes the notebooks, one at a time. Both are safe, as their code shows (versions pinned in
requirements.txt):

- sphinx_multitoc_numbering only replaces ``TocTreeCollector.assign_section_numbers``, which
  Sphinx calls in the main process on the merged environment after every document is read;
  the replacement is installed at set-up, before the reading processes fork.
- sphinx_jupyterbook_latex adds nodes, config values and transforms that change only the
  document being read (its LaTeX-only work happens in the LaTeX builder); it keeps no state in
  the environment.

This extension loads both and records that they are safe to read in parallel.
"""

SAFE_TO_READ_IN_PARALLEL = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def setup(app):
    for name in SAFE_TO_READ_IN_PARALLEL:
        app.setup_extension(name)
        app.extensions[name].parallel_read_safe = True
    return {"parallel_read_safe": True, "parallel_write_safe": True}
