"""The password rule: what every way of setting a password (sign-up, the API, the command line)
refuses. One rule, written once; docs/adr/0007 says why it is zxcvbn's estimate.

A password must be long enough, not only digits, and not easy to guess: zxcvbn estimates how
many guesses an attacker needs, knowing the common passwords, words and names it ships,
keyboard patterns (`1qaz2wsx`, `qwertyuiop`), dates, repeats, and the user's own username and
e-mail address.
"""

from __future__ import annotations

import re
import threading

from zxcvbn import zxcvbn

from .schemas.accounts import PASSWORD_MIN_LENGTH

#: zxcvbn's scale runs from 0 to 4; 2 needs about 10⁸ guesses, out of reach of an online
#: attack (and log-ins are throttled). A random 8-character password scores 2.
MIN_SCORE = 2
#: zxcvbn refuses longer input (its work grows with the length); the rest adds strength anyway.
SCORED_LENGTH = 72

#: The rule as a person reads it next to the password field, one line each.
RULES_HELP = (
    f"Your password must contain at least {PASSWORD_MIN_LENGTH} characters.",
    "Your password cannot be entirely numeric.",
    "Your password cannot be a common password, a keyboard pattern, or close to your "
    "username or e-mail address.",
)
TOO_SHORT = (
    f"This password is too short. It must contain at least {PASSWORD_MIN_LENGTH} characters."
)
ENTIRELY_NUMERIC = "This password is entirely numeric."
TOO_SIMILAR = "This password is too similar to your username or e-mail address."
TOO_GUESSABLE = "This password is too easy to guess."

# zxcvbn keeps the user's words in a module-level dictionary while it scores, so two threads
# scoring at once would see each other's usernames: one at a time.
_scoring = threading.Lock()


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """Why `password` is refused (one sentence a problem), or an empty list when it is fine."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(TOO_SHORT)
    if password.isdigit():
        problems.append(ENTIRELY_NUMERIC)
    personal = [username, email, *re.split(r"\W+", f"{username} {email}")]
    with _scoring:
        estimate = zxcvbn(password[:SCORED_LENGTH], user_inputs=[w for w in personal if w])
    if estimate["score"] < MIN_SCORE:
        if any(match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"]):
            problems.append(TOO_SIMILAR)
        else:
            problems.append(f"{TOO_GUESSABLE} {estimate['feedback']['warning']}".strip())
    return problems
