"""Where the test sets are found: the data cache first (no gensim needed), then gensim's copy."""

import importlib.util

import pytest

from skipgram_lab import english, testsets
from skipgram_lab.testsets import load_testsets


def test_cache_copy_is_found_and_read():
    analogies, ws353, simlex = load_testsets()
    assert sum(len(q) for q in analogies.values()) == 19544 and len(analogies) == 14
    assert len(ws353) == 353 and ws353[0] == ("love", "sex", 6.77)
    assert len(simlex) == 999 and simlex[0] == ("old", "new", 1.58)
    assert testsets.testset_path("simlex999") == english.english_text_path("simlex999")


def test_without_cache_or_gensim_the_error_says_how_to_fetch(tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="make setup"):
        testsets.testset_path("wordsim353", tmp_path)


def test_without_cache_an_installed_gensim_is_used(tmp_path, monkeypatch):
    folder = tmp_path / "gensim"
    (folder / "test" / "test_data").mkdir(parents=True)
    (folder / "test" / "test_data" / "wordsim353.tsv").write_text("a\tb\t1.0\n")
    spec = importlib.util.spec_from_file_location("gensim", folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    found = testsets.testset_path("wordsim353", tmp_path / "empty")
    assert found == folder / "test" / "test_data" / "wordsim353.tsv"


def test_unknown_test_set():
    with pytest.raises(ValueError, match="name must be one of"):
        testsets.testset_path("sotu")
