"""Every page that names a permission rule really checks it before View.dispatch runs."""

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from stakeholders.access import RuleRequiredMixin


def _view_classes(patterns: list[Any]) -> Iterator[type]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _view_classes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None:
                yield view_class


def test_rule_guarded_views_dispatch_through_the_rule_check() -> None:
    guarded = [
        cls for cls in _view_classes(get_resolver().url_patterns) if getattr(cls, "rule", "")
    ]
    assert len(guarded) >= 10
    for view_class in guarded:
        owner = next(klass for klass in view_class.__mro__ if "dispatch" in vars(klass))
        assert issubclass(owner, RuleRequiredMixin), f"{view_class.__name__} skips its rule"
