"""Lint configuration, in the manner of ruff.

Read from `.spreadkit.yaml` (keys at the top level) or from `[tool.spreadkit]` in
`pyproject.toml`, whichever is nearest above each file (in one folder, `.spreadkit.yaml`
wins). Command-line options apply on top.

```toml
[tool.spreadkit]
select = ["SK"]                  # codes or prefixes; default: every rule
ignore = ["SK209", "SK9"]
fail-on = "warning"              # error | warning | info
[tool.spreadkit.per-file-ignores]
"drafts/*.yaml" = ["SK2"]
[tool.spreadkit.severity]
SK301 = "error"
```

`previous = "origin/main"` names the git ref each intervention description is compared
with (SK609: its version must move as its changes require; docs/versions.md).
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spreadkit.errors import UsageError
from spreadkit.lint.registry import SEVERITIES, Severity

CONFIG_FILES = (".spreadkit.yaml", "pyproject.toml")
KNOWN_KEYS = {"select", "ignore", "per-file-ignores", "severity", "fail-on", "exclude", "previous"}


class ConfigError(UsageError):
    """A configuration file spreadkit cannot use: exit 2 with a one-line message."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from one configuration file (or none), before command-line overrides."""

    root: Path | None = None  # the folder the file's globs are relative to
    source: str = ""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()
    previous: str = ""  # the git ref descriptions are compared with (SK609); "": none


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the command line says; it wins over configuration files."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Selection:
    """The rules in force for one file and their severities."""

    enabled: frozenset[str]
    severity: dict[str, Severity] = field(default_factory=dict)

    def fingerprint(self) -> str:
        payload = json.dumps([sorted(self.enabled), sorted(self.severity.items())])
        return hashlib.blake2b(payload.encode(), digest_size=8).hexdigest()


def _matches(code: str, selectors: tuple[str, ...]) -> int:
    """The length of the longest selector that `code` starts with (0: none)."""
    return max((len(s) for s in selectors if code.startswith(s)), default=0)


def selection_for(path: Path, config: Config, overrides: Overrides, codes: list[str],
                  defaults: dict[str, Severity]) -> Selection:
    """Which codes apply to `path`: the more specific selector wins, as in ruff."""
    _check_codes(config, codes)
    select = overrides.select or config.select or ("SK",)
    select = select + overrides.extend_select
    ignore = config.ignore + overrides.ignore
    for _, ignored in matching_per_file_ignores(path, config):
        ignore = ignore + ignored
    enabled = frozenset(code for code in codes if _matches(code, select) > _matches(code, ignore))
    severity = dict(defaults)
    configured = dict(config.severity)
    for code in codes:  # a prefix sets every code under it; the longest prefix wins
        best = max((key for key in configured if code.startswith(key)), key=len, default=None)
        if best is not None:
            severity[code] = configured[best]
    return Selection(enabled, severity)


def matching_per_file_ignores(path: Path, config: Config) -> list[tuple[str, tuple[str, ...]]]:
    """The per-file-ignores entries whose glob matches `path`."""
    relative = _relative(path, config.root)
    return [(pattern, codes) for pattern, codes in config.per_file_ignores if _glob_matches(relative, pattern)]


def _check_codes(config: Config, codes: list[str]) -> None:
    """A selector in a configuration file that names no rule is a typo, not a no-op."""
    named = [*config.select, *config.ignore, *(c for _, group in config.per_file_ignores for c in group),
             *(code for code, _ in config.severity)]
    unknown = sorted({s for s in named if not any(code.startswith(s) for code in codes)})
    if unknown:
        raise ConfigError(f"{config.source}: no rule code starts with {', '.join(unknown)} (see `spreadkit rules`)")


def _relative(path: Path, root: Path | None) -> str:
    resolved = path.resolve()
    if root is not None:
        try:
            return resolved.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _glob_matches(relative: str, pattern: str) -> bool:
    """Whether `pattern` matches the file at `relative` (to the configuration's folder),
    as .gitignore and ruff match: a pattern with a `/` in it (or at its start) is
    anchored at the configuration's folder, and one without matches a file or folder
    name at any depth; one that matches a folder matches every file under it. `*` and
    `?` stop at a `/`; `**` crosses folders. A trailing `/` matches folders only. A
    leading `./` is the configuration's folder, as a leading `/` is."""
    folders_only = pattern.endswith("/")
    body = pattern.rstrip("/")
    parts = relative.split("/")
    candidates = parts[:-1] if folders_only else parts
    if "/" not in body:
        return any(fnmatch.fnmatchcase(part, body) for part in candidates)
    while body.startswith(("./", "/")):
        body = body[1:].lstrip("/") if body.startswith("/") else body[2:]
    anchored = _glob_regex(body)
    return any(anchored.fullmatch("/".join(parts[:end])) for end in range(1, len(candidates) + 1))


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob with `**` as a compiled regular expression in which `*` and `?` stay within one folder name."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[" and "]" in pattern[index + 2:]:
            end = pattern.index("]", index + 2)
            inner = pattern[index + 1:end]
            out.append("[" + ("^" + inner[1:] if inner.startswith("!") else inner).replace("\\", "\\\\") + "]")
            index = end + 1
        else:
            out.append(re.escape(char))
            index += 1
    return re.compile("".join(out))


def is_excluded(path: Path, config: Config) -> bool:
    relative = _relative(path, config.root)
    return any(_glob_matches(relative, pattern) for pattern in config.exclude)


def find_config(folder: Path) -> Config:
    """The nearest configuration at or above `folder` (absolute), read from disk now
    (a run reads each folder's once: see `lint.workspace`)."""
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file():
                settings = _read(path)
                if settings is not None:
                    return _parse(settings, path)
    return Config()


def config_from_file(path: Path) -> Config:
    """The configuration in one named file (`--config`): `pyproject.toml` gives its
    `[tool.spreadkit]` table; any other TOML file, or a YAML file, its top level."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    settings = _read(path)
    if settings is None:
        raise ConfigError(f"{path}: no [tool.spreadkit] table")
    return _parse(settings, path)


def _read(path: Path) -> dict[str, Any] | None:
    """The settings in a configuration file; None for a pyproject.toml without ours."""
    text = _text(path)
    if path.suffix == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: cannot read configuration: {error}") from None
        if path.name != "pyproject.toml":
            return data
        tool = data.get("tool", {})
        section = tool.get("spreadkit") if isinstance(tool, dict) else None
        return section if isinstance(section, dict) else None
    from spreadkit.yamlio import load_text

    loaded = load_text(text, str(path))
    if loaded.document is None and [p.code for p in loaded.problems] == ["SK107"]:
        return {}  # an empty configuration file configures nothing
    if loaded.document is None or loaded.problems:
        problem = loaded.problems[0]
        raise ConfigError(f"{path}: {problem.code} {problem.message}")
    data = loaded.document.data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: configuration must be a mapping")
    return data


def _text(path: Path) -> str:
    """A configuration file's text, read as every spreadkit file is (`spreadkit.load`)."""
    from spreadkit.load import decode_text, read_source
    from spreadkit.problems import Problem
    from spreadkit.yamlio import Limits, size_problem

    limits = Limits()
    source = read_source(path, limits)
    if isinstance(source, Problem):
        raise ConfigError(f"{path}: {source.message}")
    if source.size > limits.max_bytes:
        raise ConfigError(f"{path}: {size_problem(source.size, limits.max_bytes).message}")
    text, problems = decode_text(source.raw)
    if text is None:
        raise ConfigError(f"{path}: cannot read configuration: {problems[0].message}")
    return text


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of rule codes or prefixes")
    return tuple(v.strip().upper() for v in value)


def _parse(settings: dict[str, Any], path: Path) -> Config:
    where = f"{path}"
    unknown = sorted(set(settings) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_KEYS))}")
    per_file = settings.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must map globs to codes")
    severity = settings.get("severity", {})
    if not isinstance(severity, dict) or not all(v in SEVERITIES for v in severity.values()):
        raise ConfigError(f"{where}: severity must map codes to one of {', '.join(SEVERITIES)}")
    fail_on = settings.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise ConfigError(f"{where}: fail-on must be one of {', '.join(SEVERITIES)}")
    exclude = settings.get("exclude", [])
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise ConfigError(f"{where}: exclude must be a list of globs")
    previous = _previous(settings.get("previous", ""), where)
    return Config(
        root=path.parent.resolve(),
        source=str(path),
        select=_codes(settings.get("select", []), f"{where}: select"),
        ignore=_codes(settings.get("ignore", []), f"{where}: ignore"),
        per_file_ignores=tuple((_checked_glob(str(glob), where), _codes(codes, f"{where}: per-file-ignores"))
                               for glob, codes in per_file.items()),
        severity=tuple((str(code).upper(), level) for code, level in severity.items()),
        fail_on=fail_on,
        exclude=tuple(_checked_glob(str(e), where) for e in exclude),
        previous=previous,
    )


def _checked_glob(pattern: str, where: str) -> str:
    """`pattern`, once it is known to be one `_glob_matches` can use: a glob such as
    `sites/[z-a]*` (a reversed range) is a configuration error, not a crash mid-run."""
    try:
        _glob_matches("a/b", pattern)
    except re.error as error:
        raise ConfigError(f"{where}: the glob `{pattern}` cannot be used: {error}") from None
    return pattern


def _previous(value: Any, where: str) -> str:
    from spreadkit.versions.git import refused_ref

    if not isinstance(value, str):
        raise ConfigError(f"{where}: previous must be a git ref, e.g. previous = \"origin/main\"")
    why = refused_ref(value) if value else ""
    if why:
        raise ConfigError(f"{where}: previous: {why}")
    return value
