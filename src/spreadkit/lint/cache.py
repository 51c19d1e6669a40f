"""The lint cache: findings by a key of the file's content, spreadkit's version, the
rules in force and the limits, so that a second run over an unchanged tree only reads
and hashes files. One JSON file, written atomically. A cache that cannot be read, or
holds anything but what we wrote (truncated, edited, another program's), is ignored
and rebuilt: it only ever costs time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spreadkit import __version__

CACHE_DIR = ".spreadkit_cache"
FILE_NAME = "lint-v1.json"
# Entries not used by recent runs are dropped beyond this many, to bound the file.
MAX_ENTRIES = 50_000


@dataclass(slots=True)
class LintCache:
    path: Path
    entries: dict[str, list[list[Any]]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    changed: bool = False

    @classmethod
    def open(cls, folder: Path) -> LintCache:
        path = folder / FILE_NAME
        entries: dict[str, list[list[Any]]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == __version__:
                entries = data.get("entries", {})
        except (OSError, ValueError, RecursionError):
            pass
        return cls(path, entries if isinstance(entries, dict) else {})

    def get(self, key: str) -> list[list[Any]] | None:
        """The rows stored for `key`, or None when there are none or they are not rows
        of a finding (then the file is checked again and the entry replaced)."""
        rows = self.entries.get(key)
        if rows is None or not (isinstance(rows, list) and all(_is_row(row) for row in rows)):
            return None
        self.used.add(key)
        return rows

    def put(self, key: str, rows: list[list[Any]]) -> None:
        self.entries[key] = rows
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            keep = [k for k in entries if k in self.used] + [k for k in entries if k not in self.used]
            entries = {k: entries[k] for k in keep[:MAX_ENTRIES]}
        from spreadkit.yamlio import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Made by spreadkit: the lint cache is not for version control.\n*\n")
            atomic_write(self.path, json.dumps({"version": __version__, "entries": entries},
                                               separators=(",", ":")), force=True)
        except OSError:
            pass  # a cache that cannot be written only costs time next run


# A stored finding: line, column, end line, end column, code, name, severity, message, pointer.
_ROW_TYPES = (int, int, int, int, str, str, str, str, str)


def _is_row(row: Any) -> bool:
    from spreadkit.lint.registry import SEVERITIES

    return (isinstance(row, list) and len(row) == len(_ROW_TYPES)
            and all(isinstance(value, kind) and not isinstance(value, bool) for value, kind in zip(row, _ROW_TYPES))
            and row[6] in SEVERITIES)
