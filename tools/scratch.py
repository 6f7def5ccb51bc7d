"""The maintainer's loop: render one combination of answers, check it, carry edits back.

    uv run python tools/scratch.py render --framework flask --ml --jobs   # render + make check
    uv run python tools/scratch.py render --framework django --run test   # render + make test
    uv run python tools/scratch.py carry ../scratch/flask-ml-jobs          # edits back to template/

`render` renders this checkout as it is now (uncommitted edits included) into a scratch folder
(`../scratch/<answers>` unless --into says otherwise) with git on, so the project starts as a user's
does: one commit, hooks installed. Then it runs `make install` and the make target of --run
(`check` by default: lint, types, tests, end-to-end; `none` to skip).

Work in the scratch project as in any project; `git diff` there shows what you changed. `carry`
copies every changed file whose template source is plain (no `.jinja` suffix) back to its place
under template/, and lists the `.jinja` sources, which need the same edit by hand (their Jinja
is not in the rendered file). Then render again to see the template produce what you made.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
from support import python_interpreter  # noqa: E402  (the template tests' interpreter finder)

TEMPLATE = REPO_ROOT / "template"
# The template's own environment first on PATH: its uv and pre-commit, not a pyenv shim that
# would switch Python versions inside a project that pins another one.
TOOL_ENV = {
    **os.environ,
    "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
}
TOOL_ENV.pop("VIRTUAL_ENV", None)
LEAF_CONDITION = re.compile(r"^\{% if framework == '(django|flask)' %\}(.+?)\{% endif %\}(.*)$")


def scratch_name(args: argparse.Namespace) -> str:
    parts = [args.framework, f"py{args.python}"]
    parts += ["ml"] if args.ml else []
    parts += ["jobs"] if args.jobs else []
    parts += ["pg"] if args.database == "postgresql" else []
    return "-".join(parts)


def render(args: argparse.Namespace) -> Path:
    target = Path(args.into or REPO_ROOT.parent / "scratch" / scratch_name(args)).resolve()
    if target.exists():
        if not args.replace:
            sys.exit(f"{target} exists: carry your edits back first, then pass --replace")
        shutil.rmtree(target)
    # uv (in the post-copy hook and in make) takes the interpreter the project pins from here,
    # never from a download.
    env = {**TOOL_ENV, "UV_PYTHON": python_interpreter(args.python), "UV_PYTHON_DOWNLOADS": "never"}
    with tempfile.TemporaryDirectory() as source:
        # A plain copy (no .git), so copier renders the files as they are, edits included.
        for name in ("copier.yml", "template", "hooks", "includes"):
            copy = shutil.copytree if (REPO_ROOT / name).is_dir() else shutil.copy2
            copy(REPO_ROOT / name, Path(source) / name)
        answers = {
            "project_name": "Scratch",
            "framework": args.framework,
            "database": args.database,
            "include_ml": str(args.ml).lower(),
            "include_jobs": str(args.jobs).lower(),
            "python_version": args.python,
        }
        data = [f"--data={name}={value}" for name, value in answers.items()]
        command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet"]
        subprocess.run([*command, *data, source, str(target)], check=True, env=env)
    print(f"rendered into {target}")
    if args.run != "none":
        for target_name in ("install", args.run):
            print(f"$ make {target_name}", flush=True)
            subprocess.run(["make", target_name], cwd=target, check=True, env=env)
    return target


def template_sources(framework: str, package_name: str) -> dict[str, Path]:
    """Each project path of this framework, mapped to the template file it comes from."""
    sources = {}
    for path in TEMPLATE.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        parts = []
        for part in path.relative_to(TEMPLATE).parts:
            leaf = LEAF_CONDITION.match(part)
            if leaf and leaf.group(1) != framework:
                break
            parts.append(leaf.group(2) + leaf.group(3) if leaf else part)
        else:
            project_path = "/".join(parts).replace("{{package_name}}", package_name)
            sources[project_path.removesuffix(".jinja")] = path
    return sources


def carry(args: argparse.Namespace) -> None:
    project = Path(args.project).resolve()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    sources = template_sources(answers["framework"], answers["package_name"])
    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    by_hand = []
    for line in listed:
        status, changed = line[:2], line[3:]
        source = sources.get(changed)
        if source is None:
            print(f"new   {changed}: no template file yet; add it (and an _exclude line if needed)")
        elif "D" in status:
            print(f"gone  {changed}: delete {source.relative_to(REPO_ROOT)} if that is meant")
        elif source.name.endswith(".jinja"):
            by_hand.append(f"{changed} -> {source.relative_to(REPO_ROOT)}")
        else:
            shutil.copy2(project / changed, source)
            print(f"copied {changed} -> {source.relative_to(REPO_ROOT)}")
    for entry in by_hand:
        print(f"by hand {entry}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    to_render = commands.add_parser("render", help="render one combination and check it")
    to_render.add_argument("--framework", choices=["django", "flask"], default="django")
    to_render.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    to_render.add_argument("--python", choices=["3.11", "3.12", "3.13"], default="3.12")
    to_render.add_argument("--ml", action="store_true", help="include_ml")
    to_render.add_argument("--jobs", action="store_true", help="include_jobs")
    to_render.add_argument("--into", help="the scratch folder (default ../scratch/<answers>)")
    to_render.add_argument("--replace", action="store_true", help="replace an existing folder")
    to_render.add_argument("--run", default="check", help="make target after install, or none")
    to_carry = commands.add_parser("carry", help="copy a scratch project's edits back")
    to_carry.add_argument("project", help="the scratch project's folder")
    args = parser.parse_args()
    render(args) if args.command == "render" else carry(args)


if __name__ == "__main__":
    main()
