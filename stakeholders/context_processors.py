"""Template context every page needs: the signed-in user's unread count and staff links."""

from typing import Any

from django.http import HttpRequest

from stakeholders.selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
