"""A non-editable install must carry every template and vocabulary file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_ships_templates_and_vocabularies(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("spreadkit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").rglob("*"):
        if template.is_file():
            assert f"spreadkit/templates/{template.relative_to(ROOT / 'templates').as_posix()}" in names
    for vocabulary in ("tidier", "cfir", "frame", "eric"):
        assert f"spreadkit/vocab/{vocabulary}.yaml" in names
    assert any(name.endswith("entry_points.txt") for name in names)
