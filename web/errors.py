"""Errors every floor may raise that the web and API layers turn into HTTP answers."""


class StateConflict(Exception):  # noqa: N818 - named for what it means, like Http404
    """The request conflicts with the current state of the data (HTTP 409).

    For example a ballot in a round that is not open, or deleting something the record refers to.
    """
