"""Create `.env` from `.env.example` with a fresh, random SECRET_KEY.

Run by the template right after generation and by `make install`. An existing `.env` is never
touched, so the project's secret survives re-installs and template updates.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def render_env(example: str, secret_key: str) -> str:
    lines = [
        f"SECRET_KEY={secret_key}" if line.startswith("SECRET_KEY=") else line
        for line in example.splitlines()
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    env_file = PROJECT_ROOT / ".env"
    if env_file.exists():
        print(".env exists already: kept as it is")
        return 0
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    env_file.write_text(render_env(example, secrets.token_urlsafe(50)), encoding="utf-8")
    env_file.chmod(0o600)
    print("wrote .env with a new random SECRET_KEY")
    return 0


if __name__ == "__main__":
    sys.exit(main())
