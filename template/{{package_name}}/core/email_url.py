"""EMAIL_URL: where the project's e-mail goes, said in one setting.

    console://                              printed to the log (the development default)
    locmem://                               kept in memory, where the tests read it
    smtp://user:password@host:port          an SMTP server; add ?tls=1 for STARTTLS (port 587
                                            by default) or ?ssl=1 for SMTP over TLS (465)

The settings read it once with `parse_email_url` and hand the parts to the mail layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = ("console", "locmem", "smtp")
#: A mail server that does not answer holds a request (or a worker) at most this long.
SMTP_TIMEOUT_SECONDS = 10.0
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class EmailSettings:
    """The parts of EMAIL_URL; `backend` is one of BACKENDS."""

    backend: str
    host: str = "localhost"
    port: int = 25
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float = SMTP_TIMEOUT_SECONDS


def parse_email_url(url: str) -> EmailSettings:
    """The settings `url` stands for; a ValueError naming EMAIL_URL says what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in BACKENDS:
        schemes = ", ".join(f"{name}://" for name in BACKENDS)
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r}; use one of {schemes}")
    if parts.scheme != "smtp":
        return EmailSettings(backend=parts.scheme)
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"tls", "ssl", "timeout"})
    if unknown:
        raise ValueError(f"EMAIL_URL: unknown option {unknown[0]!r}; use tls=1, ssl=1, timeout=")
    use_tls = _flag(query, "tls")
    use_ssl = _flag(query, "ssl")
    if use_tls and use_ssl:
        raise ValueError("EMAIL_URL: choose tls=1 (STARTTLS) or ssl=1 (SMTP over TLS), not both")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = float(query.get("timeout", SMTP_TIMEOUT_SECONDS))
    except ValueError as exc:
        raise ValueError(f"EMAIL_URL: {exc}") from None
    return EmailSettings(
        backend="smtp",
        host=parts.hostname or "localhost",
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=timeout,
    )


def _flag(query: dict[str, str], name: str) -> bool:
    value = query.get(name, "0").lower()
    if value not in _TRUE | _FALSE:
        raise ValueError(f"EMAIL_URL: {name}={value!r} is neither 1 nor 0")
    return value in _TRUE
