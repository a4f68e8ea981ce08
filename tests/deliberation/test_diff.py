"""The word-level diff between versions (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from deliberation.diff import _unwrap, diff_stats, word_diff

words = st.lists(
    st.sampled_from(["the", "registry", "acts", "within", "48", "hours", ",", "."]), max_size=30
)


def _text(tokens: list[str]) -> str:
    return " ".join(tokens)


def test_a_replaced_word_shows_as_removed_then_added() -> None:
    chunks = word_diff("The registry publishes yearly.", "The registry publishes every year.")
    ops = [(c.op, c.text) for c in chunks]
    assert ("removed", "yearly") in ops
    assert ("added", "every year") in ops
    assert diff_stats(chunks) == (2, 1)


def test_rewrapping_a_paragraph_is_not_a_change() -> None:
    chunks = word_diff("a long\nline\n\nnext", "a long line\n\nnext")
    assert [c.op for c in chunks] == ["same"]


@given(words, words)
def test_the_diff_rebuilds_both_texts(old: list[str], new: list[str]) -> None:
    a, b = _text(old), _text(new)
    chunks = word_diff(a, b)
    assert "".join(c.text for c in chunks if c.op != "added") == _unwrap(a)
    assert "".join(c.text for c in chunks if c.op != "removed") == _unwrap(b)


@given(words)
def test_an_unchanged_text_has_no_changes(tokens: list[str]) -> None:
    assert diff_stats(word_diff(_text(tokens), _text(tokens))) == (0, 0)
