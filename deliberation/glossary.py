"""Reading the glossary: its terms, and the matcher compiled per language until a term changes."""

import math
import threading
import time
from functools import lru_cache

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.text import slugify

from deliberation.models import (
    GlossaryTerm,
)
from deliberation.rendering import Glossary, glossary_from


def glossary_terms() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.order_by("term")


@lru_cache(maxsize=16)
def _compiled_glossary(language: str, version: tuple[int, object]) -> Glossary:
    rows = [
        (slugify(t.term), t.term, list(t.aliases), t.definition(language))
        for t in GlossaryTerm.objects.order_by("term")
    ]
    return glossary_from(rows, url=reverse("deliberation:glossary"))


# How long a web process trusts its copy of the glossary's version before asking the database
# again: a term saved in this process shows at once (glossary_changed), one saved in another
# process within this many seconds.
GLOSSARY_RECHECK_SECONDS = 5.0


class _GlossaryVersion:
    """This process's idea of the glossary's version: (terms, last change), re-read from the
    database at most every GLOSSARY_RECHECK_SECONDS, or at once after `forget()`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: tuple[int, object] = (0, None)
        self.checked = -math.inf

    def get(self) -> tuple[int, object]:
        with self.lock:
            if time.monotonic() - self.checked < GLOSSARY_RECHECK_SECONDS:
                return self.value
        stamp = GlossaryTerm.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        with self.lock:
            self.value, self.checked = (stamp["n"], stamp["last"]), time.monotonic()
            return self.value

    def forget(self) -> None:
        with self.lock:
            self.checked = -math.inf


_glossary_version = _GlossaryVersion()


def glossary_version() -> tuple[int, object]:
    """The glossary's version as this process knows it (see GLOSSARY_RECHECK_SECONDS)."""
    return _glossary_version.get()


def glossary_changed() -> None:
    """A term was added, changed or removed: the next page reads the glossary anew."""
    _glossary_version.forget()


def glossary(language: str, version: tuple[int, object] | None = None) -> Glossary:
    """The compiled glossary for a language (at `version`, by default the current one), rebuilt
    only when the glossary changed."""
    return _compiled_glossary(language, version or glossary_version())
