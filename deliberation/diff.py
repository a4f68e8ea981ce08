"""A readable word-level diff between two versions of a text (pure)."""

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_TOKENS = re.compile(r"\s+|[\w'’-]+|[^\w\s]")

Op = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Chunk:
    op: Op
    text: str


_SOFT_BREAK = re.compile(r"(?<!\n)[ \t]*\n[ \t]*(?!\n)")


def _unwrap(text: str) -> str:
    """Join lines wrapped inside a paragraph (a soft break in markdown), keep paragraph breaks."""
    return _SOFT_BREAK.sub(" ", text.replace("\r\n", "\n"))


def word_diff(old: str, new: str) -> list[Chunk]:
    """Chunks that, read in order, show `old` turning into `new` word by word.

    Lines wrapped inside a paragraph are joined first, so re-wrapping is not a change. After:
    joining the `same` and `removed` chunks gives `old` unwrapped; `same` and `added` gives `new`.
    """
    a, b = _TOKENS.findall(_unwrap(old)), _TOKENS.findall(_unwrap(new))
    chunks: list[Chunk] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            chunks.append(Chunk("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            chunks.append(Chunk("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            chunks.append(Chunk("added", "".join(b[j1:j2])))
    return chunks


def diff_stats(chunks: list[Chunk]) -> tuple[int, int]:
    """(words added, words removed)."""

    def words(op: Op) -> int:
        return sum(len(re.findall(r"[\w'’-]+", c.text)) for c in chunks if c.op == op)

    return words("added"), words("removed")
