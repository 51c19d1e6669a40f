"""The console script. Answers `--version` before importing anything heavy."""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from spreadkit import __version__

        sys.stdout.write(f"spreadkit {__version__}\n")
        return
    # pydantic otherwise scans every installed package's entry points for plugins at
    # import, which costs more start-up time than loading our own models.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from spreadkit.cli import main as cli_main

    cli_main()
