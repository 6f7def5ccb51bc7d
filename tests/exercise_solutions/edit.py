"""Used by the solutions' solve.sh: replace one exact piece of text in a file, once.

    python edit.py FILE OLD NEW

Fails (exit 1) unless OLD occurs exactly once, so a solution notices when the file it edits
has moved on.
"""

import sys
from pathlib import Path

path, old, new = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
text = path.read_text(encoding="utf-8")
if text.count(old) != 1:
    sys.exit(f"{path}: {old!r} occurs {text.count(old)} times, not once")
path.write_text(text.replace(old, new), encoding="utf-8")
