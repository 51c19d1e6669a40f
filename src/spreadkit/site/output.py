"""Writing the site's folder: all of it or nothing, and never over someone's files.

The pages are written into a new folder beside the output, then moved into place, so a
failure part-way (a full disk, an interrupt) leaves the output as it was and no
temporary folder behind. A folder that `spreadkit site` wrote holds a marker file and is
replaced whole when the site is built again; any other folder that is not empty is
replaced only with --force, and the programme's own folder never.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from spreadkit.errors import UsageError
from spreadkit.site.layout import MARKER

MARKER_TEXT = ("This folder was written by `spreadkit site`; building the site again replaces it whole.\n"
               "Keep nothing else here.\n")


def check_output(output: Path, programme: Path, force: bool) -> None:
    """Refuse (UsageError), before any work, an output the site cannot or may not replace."""
    if output.is_symlink() and not output.is_dir():
        raise UsageError(f"{output} is a symbolic link to something that is not a folder; refusing to replace it")
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file, not a folder; give a folder for the site")
    target, inputs = output.resolve(), programme.resolve()
    if target == inputs or inputs.is_relative_to(target):
        raise UsageError(f"{output} holds the programme's own files; write the site to a folder of its own "
                         "(e.g. -o public/)")
    here = Path.cwd().resolve()
    if target == here or here.is_relative_to(target):
        raise UsageError(f"{output} is the folder you are working in (or holds it); write the site to a folder "
                         "of its own (e.g. -o public/)")
    if output.is_dir() and not force and not (output / MARKER).is_file() and any(output.iterdir()):
        raise UsageError(f"{output} holds files that spreadkit did not write; use --force to replace the folder "
                         "with the site, or give an empty or new folder")


def write_folder(output: Path, files: dict[str, bytes]) -> None:
    """Write `files` (paths relative to the folder) as the folder `output`, replacing the
    folder that was there. Raises OSError when it cannot; then nothing has changed."""
    target = output.resolve() if output.is_symlink() else output
    parent = target.parent if str(target.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        folders: set[Path] = set()
        for relative, data in sorted({**files, MARKER: MARKER_TEXT.encode("utf-8")}.items()):
            path = temp / relative
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(data)
        mode = 0o777 & ~_umask()
        for folder in (temp, *sorted(folders)):
            os.chmod(folder, mode)
        _replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _replace(new: Path, target: Path) -> None:
    """`new` becomes `target`; the old folder is moved aside first and removed after, and
    put back if the move fails."""
    if not target.exists():
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)  # a free name beside the target, for the old folder to move to
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
