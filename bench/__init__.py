"""The benchmark of the generated projects: `uv run python bench/run.py` (README)."""
