"""Whether a message's sender domain is authenticated (DKIM or SPF, aligned with From), as
reported by our own receiving server's `Authentication-Results` header (RFC 8601)."""

from collections.abc import Sequence

import authres


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (DMARC): the same domain, or one a subdomain of the other."""
    domain, from_domain = domain.lower().strip("."), from_domain.lower().strip(".")
    if not domain or not from_domain or "." not in domain or "." not in from_domain:
        return False
    return (
        domain == from_domain
        or from_domain.endswith("." + domain)
        or domain.endswith("." + from_domain)
    )


def authenticated(headers: Sequence[str], *, authserv_id: str, from_domain: str) -> bool:
    """True when the topmost Authentication-Results header was added by our server
    (`authserv_id`) and says dmarc, dkim or spf passed for a domain aligned with From.

    Only the topmost header counts: our server adds its own above the ones the message arrived
    with, and it must remove any arriving header that claims its authserv-id (RFC 8601 §5), so a
    sender cannot vouch for itself. Without a configured authserv-id nothing is trusted.
    """
    if not headers or not authserv_id:
        return False
    try:
        header = authres.AuthenticationResultsHeader.parse(f"Authentication-Results: {headers[0]}")
    except Exception:  # authres raises several syntax errors of its own; any means unverified
        return False
    if str(header.authserv_id).lower() != authserv_id.lower():
        return False  # another server's claim, which anyone can write
    return any(
        _aligned(_domain(result), from_domain)
        for result in header.results
        if str(result.result).lower() == "pass"
    )


def _domain(result: "authres.core.AuthenticationResult") -> str:
    """The domain a passing result vouches for: DMARC's header.from, DKIM's signing domain
    (header.d), SPF's envelope sender domain (smtp.mailfrom); '' for other methods."""
    props = {f"{p.type}.{p.name}".lower(): str(p.value) for p in result.properties}
    field = {"dmarc": "header.from", "dkim": "header.d", "spf": "smtp.mailfrom"}.get(
        str(result.method).lower(), ""
    )
    return props.get(field, "").rpartition("@")[2]
