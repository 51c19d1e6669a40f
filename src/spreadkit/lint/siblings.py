"""The intervention beside a file: logs, contexts and measurements are checked
against the intervention description in the same folder."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from spreadkit.formats import sniff_kind
from spreadkit.yamlio import decode, load_text

YAML_SUFFIXES = (".yaml", ".yml")


def head_text(raw: bytes) -> str:
    """Enough of a file's text to read its first key, whatever its encoding."""
    head = raw[:65536]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(bom):
            return head.decode(codec, "replace")
    return head.decode("utf-8", "replace")


@cache
def _intervention_files(folder: Path) -> tuple[tuple[Path, bytes], ...]:
    """The intervention descriptions in `folder` and their bytes, read once per folder.
    A file is recognised from its first bytes, and one over the size limit is passed
    over (lint reports it where it stands)."""
    from spreadkit.yamlio import DEFAULT_MAX_BYTES

    try:
        names = sorted(p for p in folder.iterdir() if p.name.endswith(YAML_SUFFIXES) and p.is_file())
    except OSError:
        return ()
    found = []
    for path in names:
        try:
            if path.stat().st_size > DEFAULT_MAX_BYTES:
                continue
            with path.open("rb") as stream:
                head = stream.read(65536)
                if sniff_kind(head_text(head)) != "intervention":
                    continue
                raw = head + stream.read()
        except OSError:
            continue
        found.append((path, raw))
    return tuple(found)


@cache
def sibling_interventions(folder: Path) -> tuple[tuple[Path, Any], ...]:
    """The valid intervention descriptions in `folder`, for checks across files."""
    from spreadkit.formats import validate

    found = []
    for path, raw in _intervention_files(folder):
        text, _ = decode(raw)
        if text is None:
            continue
        loaded = load_text(text, str(path))
        if loaded.document is None:
            continue
        model, _ = validate(loaded.document, "intervention")
        if model is not None:
            found.append((path, model))
    return tuple(found)


@cache
def sibling_fingerprint(folder: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path, raw in _intervention_files(folder):
        digest.update(path.name.encode() + b"\0" + raw)
    return digest.hexdigest()


def search_folders(path: Path) -> tuple[Path, Path]:
    """Where the intervention for a file may be: its own folder, then the one above
    (so that `logs/` or `sites/` subfolders work)."""
    folder = path.parent.resolve()
    return folder, folder.parent


def intervention_beside(path: Path, intervention_id: str | None = None) -> Any | None:
    """The intervention in the same folder as `path` (else in the folder above): the one
    with `intervention_id` when given, else the only one there. None when there is no
    such single one."""
    for folder in search_folders(path):
        found = [model for other, model in sibling_interventions(folder) if other.resolve() != path.resolve()]
        if intervention_id is not None:
            found = [model for model in found if model.id == intervention_id]
        if found:
            return found[0] if len(found) == 1 else None
    return None
