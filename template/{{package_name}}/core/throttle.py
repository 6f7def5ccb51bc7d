"""Throttling of log-ins, sign-ups and password-reset requests: the policy, written once.

Each limit counts attempts under a key in a fixed window that starts with the key's first
attempt. The counts live in the database (a `CountStore` of each framework), so every worker
and every instance of the app sees the same ones. docs/adr/0009 says why, and why a lock holds
per account *and* client address rather than against the account from everywhere:

- log-in: `login_failures_per_account` failures for one username from one address, then every
  further attempt from there is refused, the right password too, until the window ends; a
  success clears the count. Per address, `login_failures_per_address` failures across every
  username.
- sign-up and password-reset requests: every attempt counts, per address.

An attempt is counted *before* the password is checked and taken back when it succeeds, so
requests racing each other cannot get more guesses than the limit.
"""

# TooManyAttempts is named as the other domain errors are (NotFound, Conflict).
# ruff: noqa: N818

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from .errors import DomainError


def now() -> datetime:
    """The throttle's clock (the tests move it to let a window pass)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Count:
    """How many attempts a key has in its current window, and when that window ends."""

    attempts: int
    window_ends_at: datetime


class CountStore(Protocol):
    """Where the counts are kept: one row a key, shared by every process of the app."""

    def add(self, key: str, *, at: datetime, window: timedelta) -> Count:
        """Count one attempt for `key`, atomically, and return the count with it.

        A key without a count, or whose window ended by `at`, starts a new window of length
        `window` with this attempt. Expired rows of any key may be removed on the way.
        """
        ...

    def take_back(self, key: str, *, at: datetime) -> None:
        """Uncount one attempt of `key` in its current window (never below zero)."""
        ...

    def clear(self, key: str) -> None:
        """Forget `key`'s count."""
        ...


@dataclass(frozen=True)
class Limits:
    """The limits, from the settings of the same names (README: Throttling)."""

    login_failures_per_account: int
    login_failures_per_address: int
    window: timedelta
    registrations_per_address: int
    password_resets_per_address: int


class TooManyAttempts(DomainError):
    """An attempt over a limit: 429, with the seconds until the window ends (`Retry-After`)."""

    code = "too_many_requests"
    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after(count: Count, at: datetime) -> int:
    """Whole seconds from `at` until the window of `count` ends, at least one."""
    return max(1, math.ceil((count.window_ends_at - at).total_seconds()))


def wait_in_words(seconds: int) -> str:
    """`30 seconds`, `1 minute`, `15 minutes`: rounded up, as a person reads a wait."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def refusal(what: str, count: Count, at: datetime) -> TooManyAttempts:
    wait = retry_after(count, at)
    return TooManyAttempts(f"{what} Try again in {wait_in_words(wait)}.", retry_after=wait)


def key(*parts: str) -> str:
    """A fixed-length key for the store: usernames and addresses are not kept as they are."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class LogInAttempt:
    """An admitted log-in attempt: it counts as a failure unless `succeeded()` is called."""

    store: CountStore
    account_key: str
    address_key: str

    def succeeded(self) -> None:
        """The password was right: the account's count starts again, and the address's count
        keeps only failures."""
        self.store.clear(self.account_key)
        self.store.take_back(self.address_key, at=now())


@dataclass(frozen=True)
class Throttle:
    store: CountStore
    limits: Limits

    def admit_log_in(self, *, username: str, address: str) -> LogInAttempt:
        """Count an attempt to log in as `username` from `address`, or refuse it.

        Raises TooManyAttempts when the account has had its failures from this address, or
        the address its failures across accounts, within the window.
        """
        at = now()
        window = self.limits.window
        # Usernames differ in case only for the database, never for a person (sign-up
        # refuses `Alice` beside `alice`): all spellings share one count.
        account_key = key("log-in", username.casefold(), address)
        account = self.store.add(account_key, at=at, window=window)
        if account.attempts > self.limits.login_failures_per_account:
            raise refusal("Too many failed log-ins for this account.", account, at)
        address_key = key("log-in from", address)
        per_address = self.store.add(address_key, at=at, window=window)
        if per_address.attempts > self.limits.login_failures_per_address:
            self.store.take_back(account_key, at=at)
            raise refusal("Too many failed log-ins from your address.", per_address, at)
        return LogInAttempt(self.store, account_key, address_key)

    def admit_registration(self, *, address: str) -> None:
        """Count a sign-up from `address`, or refuse it (TooManyAttempts)."""
        self._admit(
            key("sign-up from", address),
            self.limits.registrations_per_address,
            "Too many sign-ups from your address.",
        )

    def admit_password_reset(self, *, address: str) -> None:
        """Count a password-reset request from `address`, or refuse it (TooManyAttempts)."""
        self._admit(
            key("password reset from", address),
            self.limits.password_resets_per_address,
            "Too many password-reset requests from your address.",
        )

    def _admit(self, counted: str, limit: int, what: str) -> None:
        at = now()
        count = self.store.add(counted, at=at, window=self.limits.window)
        if count.attempts > limit:
            raise refusal(what, count, at)


def client_address(remote_addr: str, forwarded_for: str | None, *, trusted_hops: int) -> str:
    """The address of the client: REMOTE_ADDR, unless `trusted_hops` proxies stand in front.

    Each proxy appends the address it received the request from to `X-Forwarded-For`, so with
    N trusted proxies the N-th entry from the right is the one the outermost proxy saw: the
    client. Entries further left are whatever the client wrote and are never believed. A header
    with fewer entries than trusted hops did not come through them: then REMOTE_ADDR (the rule
    of werkzeug's ProxyFix).
    """
    if trusted_hops <= 0 or not forwarded_for:
        return remote_addr
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if len(entries) < trusted_hops:
        return remote_addr
    return entries[-trusted_hops] or remote_addr
