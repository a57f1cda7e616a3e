"""The package's three layers, read from the imports of every module.

library (skipgram_lab/*.py)  <-  book apparatus (skipgram_lab/book/)  <-  exercise checks (skipgram_lab/checks/)

An arrow may point only to the left: the library never imports the apparatus or the checks, and
the apparatus never imports the checks. Inside the library, a module imports only modules above
it in the data-flow order below (the order of the package docstring and CONTRIBUTING.md's map).
"""

import ast
import shutil
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "skipgram_lab"

# The library in data-flow order: each module may import only modules earlier in this list.
LIBRARY_ORDER = [
    "_validate", "_io", "corpus", "synthetic", "bpe", "datasets", "pairs", "noise",
    "negative_sampling", "softmax", "hierarchical_softmax", "cbow", "gradcheck", "embeddings",
    "training", "teaching", "idfile", "fastvocab", "scatter", "vectorized", "cbow_vectorized", "cli",
    "__main__", "pmi", "factorise", "align", "_rows", "english", "testsets", "planted", "baselines",
    "evaluate", "offsets", "stability", "postprocess", "subword_ngrams", "__init__",
]
LAYERS = {"library": 0, "book": 1, "checks": 2}


def layer_of(module):
    """'skipgram_lab.book.claims' -> 'book'; 'skipgram_lab.pairs' -> 'library'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ("book", "checks") else "library"


def module_name(path, package):
    """skipgram_lab/book/claims.py -> 'skipgram_lab.book.claims'."""
    return ".".join(path.relative_to(package.parent).with_suffix("").parts)


def imported_modules(path, package_root):
    """Absolute names of the skipgram_lab modules a file imports (at any depth in the file)."""
    package = module_name(path, package_root).split(".")[:-1]  # the package holding the file
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("skipgram_lab"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("skipgram_lab"):
                continue
            if node.module is None or target in ("skipgram_lab", "skipgram_lab.book", "skipgram_lab.checks"):
                # "from . import x": each name is a module of that package
                found.update(f"{target}.{a.name}" for a in node.names)
            else:
                found.add(target)
    return found


def wrong_arrows(package=PACKAGE):
    """Every import that points up the layers or up the library's order, as readable lines."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        src = module_name(path, package)
        src_layer = layer_of(src)
        for dst in sorted(imported_modules(path, package)):
            dst_layer = layer_of(dst)
            if dst in ("skipgram_lab.book", "skipgram_lab.checks") and src_layer == "library":
                problems.append(f"{src} imports {dst} (the library never imports the {dst_layer} layer)")
            elif LAYERS[dst_layer] > LAYERS[src_layer]:
                problems.append(f"{src} imports {dst}: the {src_layer} layer never imports the {dst_layer} layer")
            elif src_layer == dst_layer == "library":
                a, b = src.split(".")[-1], dst.split(".")[-1]
                if b not in LIBRARY_ORDER:
                    continue  # reported by test_every_library_module_has_a_place
                if LIBRARY_ORDER.index(b) >= LIBRARY_ORDER.index(a) and a != "__init__":
                    problems.append(f"{src} imports {dst}, which comes after it in the data-flow order")
    return problems


def test_every_library_module_has_a_place_in_the_order():
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules == set(LIBRARY_ORDER), (
        f"add new modules to LIBRARY_ORDER (and CONTRIBUTING.md's map): {sorted(modules ^ set(LIBRARY_ORDER))}"
    )


def test_the_three_layers_exist():
    assert (PACKAGE / "book" / "__init__.py").exists() and (PACKAGE / "checks" / "__init__.py").exists()
    assert not list(PACKAGE.glob("checks_*.py")), "exercise checks live in skipgram_lab/checks/"


def test_no_import_points_the_wrong_way():
    assert wrong_arrows() == []


@pytest.mark.parametrize("violation, expected", [
    ("from .book import claims\n", "skipgram_lab.pairs imports skipgram_lab.book.claims"),
    ("from .checks import check_pairs\n", "skipgram_lab.pairs imports skipgram_lab.checks"),
    ("from .vectorized import train_vectorized\n", "skipgram_lab.pairs imports skipgram_lab.vectorized"),
    ("import skipgram_lab.book.plots\n", "skipgram_lab.pairs imports skipgram_lab.book.plots"),
])
def test_a_deliberate_violation_is_caught(tmp_path, violation, expected):
    """Copy the package, add one wrong import to the library, and the check names it."""
    copy = tmp_path / "skipgram_lab"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    pairs = copy / "pairs.py"
    pairs.write_text(pairs.read_text(encoding="utf-8") + "\n" + violation, encoding="utf-8")
    problems = wrong_arrows(copy)
    assert any(p.startswith(expected) for p in problems), problems


def test_the_apparatus_never_imports_the_checks(tmp_path):
    copy = tmp_path / "skipgram_lab"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    plots = copy / "book" / "plots.py"
    plots.write_text(plots.read_text(encoding="utf-8") + "\nfrom ..checks import check_pairs\n", encoding="utf-8")
    assert any("skipgram_lab.book.plots imports skipgram_lab.checks" in p for p in wrong_arrows(copy))
