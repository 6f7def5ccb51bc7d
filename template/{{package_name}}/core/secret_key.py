"""The rule a SECRET_KEY must pass before a process starts with DEBUG off.

Anyone who knows the key can sign a session cookie and so sign in as anyone. A key that is
empty, short, or a value that ships with the project (`.env.example`'s placeholder, a
"change me" or "insecure" key copied from a tutorial) is refused: the web process and the
worker stop at start-up with the one line this module writes (docs/adr/0011).
"""

MIN_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 5
#: Words that mark a key as a placeholder or a known, published value.
PLACEHOLDER_MARKERS = (
    "change-me",
    "change_me",
    "changeme",
    "insecure",
    "replace-me",
    "your-secret",
    "secret-key",
    "not-secret",
    "example",
)
HOW_TO_MAKE_ONE = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def problem_with_secret_key(value: str | None) -> str | None:
    """Why `value` may not sign anything in production, as one line naming SECRET_KEY, or None."""
    key = value or ""
    if not key.strip():
        reason = "is empty"
    elif any(marker in key.lower() for marker in PLACEHOLDER_MARKERS):
        reason = "is a placeholder"
    elif len(key) < MIN_LENGTH:
        reason = f"has {len(key)} characters, fewer than {MIN_LENGTH}"
    elif len(set(key)) < MIN_DISTINCT_CHARACTERS:
        reason = f"has fewer than {MIN_DISTINCT_CHARACTERS} different characters"
    else:
        return None
    return (
        f"SECRET_KEY {reason}: with DEBUG off it must be a random string of at least "
        f"{MIN_LENGTH} characters ({HOW_TO_MAKE_ONE})"
    )
