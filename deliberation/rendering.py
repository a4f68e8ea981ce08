"""Markdown to safe HTML: render, sanitise with an allow-list (nh3), annotate glossary terms."""

import hashlib
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text ("html": False); images are not allowed at all.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "ul", "ol", "li", "blockquote", "code", "pre", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Terms are not annotated inside these (a link inside a link is invalid; code is literal).
_NO_ANNOTATION = {"a", "code", "pre"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def render_markdown(source: str) -> str:
    """Markdown → HTML that holds only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        _MARKDOWN.render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    term: str
    names: tuple[str, ...]
    definition: str


@dataclass
class Glossary:
    """A compiled matcher over every term and alias: case-insensitive, whole words only."""

    entries: tuple[GlossaryEntry, ...]
    url: str = "/glossary/"
    _by_name: dict[str, GlossaryEntry] = field(init=False, repr=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {
            html.escape(name).lower(): entry for entry in self.entries for name in entry.names
        }
        names = sorted(self._by_name, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w&-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])",
                re.IGNORECASE,
            )
            if names
            else None
        )

    def annotate(self, fragment: str, *, scope: str) -> str:
        """Wrap the first mention of each known term in `fragment` (already safe HTML).

        The annotation is a link to the glossary with the definition as its accessible
        description, shown on hover and on keyboard focus by CSS alone (no JavaScript).
        `scope` makes the description ids unique on a page.
        """
        if self._pattern is None:
            return fragment
        seen: set[str] = set()
        skip_depth = 0
        out = []
        for part in _TAG.split(fragment):
            if part.startswith("<"):
                match = _TAG_NAME.match(part)
                if match and match.group(2).lower() in _NO_ANNOTATION:
                    skip_depth += -1 if match.group(1) else 1
                out.append(part)
            elif skip_depth > 0 or not part:
                out.append(part)
            else:
                out.append(self._pattern.sub(lambda m: self._wrap(m, seen, scope), part))
        return "".join(out)

    def _wrap(self, match: re.Match[str], seen: set[str], scope: str) -> str:
        entry = self._by_name[match.group(1).lower()]
        if entry.slug in seen:
            return match.group(0)
        seen.add(entry.slug)
        ident = f"gloss-{scope}-{entry.slug}"
        return (
            f'<span class="term"><a class="term-link" href="{self.url}#{entry.slug}" '
            f'aria-describedby="{ident}">{match.group(1)}</a>'
            f'<span class="term-def" role="tooltip" id="{ident}">'
            f"{html.escape(entry.term)}: {html.escape(entry.definition)}</span></span>"
        )


def glossary_from(rows: Iterable[tuple[str, str, list[str], str]], *, url: str) -> Glossary:
    """Build a Glossary from (slug, term, aliases, definition) rows."""
    return Glossary(
        entries=tuple(
            GlossaryEntry(slug=slug, term=term, names=(term, *aliases), definition=definition)
            for slug, term, aliases, definition in rows
        ),
        url=url,
    )


class RenderedCache:
    """The last rendered fragments of this process, bounded in bytes (least recently used go).

    Rendering markdown, sanitising it and annotating the glossary costs more than the rest of a
    comment's display; a text is rendered again only when it, its language or the glossary
    changed (the caller's key says which). Keys hold a digest, not the text. Hand-written: the
    standard lru_cache bounds entries, not bytes, and fragments range from a line to 100 kB.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.fragments: OrderedDict[Hashable, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, text: str, key: Hashable, render: Callable[[str], str]) -> str:
        full_key = (hashlib.blake2b(text.encode(), digest_size=16).digest(), key)
        with self.lock:
            found = self.fragments.get(full_key)
            if found is not None:
                self.fragments.move_to_end(full_key)
                return found
        fragment = render(text)
        with self.lock:
            if full_key not in self.fragments and len(fragment) <= self.max_bytes // 4:
                self.fragments[full_key] = fragment
                self.size += len(fragment)
                while self.size > self.max_bytes:
                    _key, dropped = self.fragments.popitem(last=False)
                    self.size -= len(dropped)
        return fragment
