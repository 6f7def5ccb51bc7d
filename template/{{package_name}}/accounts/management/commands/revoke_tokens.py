"""`manage.py revoke_tokens <username>`: revoke every API token of a user; `--expired`: delete
every token past its expiry, whoever's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...models import User
from ...services import delete_expired_tokens, revoke_tokens


class Command(BaseCommand):
    help = (
        "Revoke every API token of a user (when a token may have leaked), "
        "and/or delete the expired tokens of all users (--expired)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help="The user whose tokens to revoke.")
        parser.add_argument(
            "--expired",
            action="store_true",
            help="Delete every expired token (they no longer work; this only tidies the table).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str | None = options["username"]
        if username is None and not options["expired"]:
            raise CommandError("Name a user, or give --expired (or both).")
        if username is not None:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user {username!r}.")
            count = revoke_tokens(user=user)
            self.stdout.write(f"Revoked {count} token(s) of {user.username!r}.")
        if options["expired"]:
            self.stdout.write(f"Deleted {delete_expired_tokens()} expired token(s).")
