"""One way to read a file: a path (or bytes with a name) in; the document, its model
and its problems out.

    read -> recognise (first bytes) -> decode -> parse, with positions -> validate, part by part

Every command reads its files here, as lint does, so that they agree about what a file
holds and where each problem is. Nothing here prints: problems are values.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Union

from spreadkit.problems import FILE_START, Problem, Span
from spreadkit.yamlio import Document, Limits, decode, is_binary, load_text, size_problem

if TYPE_CHECKING:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.formats.measurements import Table

Model = Union["Intervention", "Context", "Log", "Table"]

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet",)
# A file's kind is read from this many first bytes.
HEAD_BYTES = 65536
_UTF16_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
               (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True, slots=True)
class Source:
    """The bytes of one file (no more than one past the size limit) and its names.

    `path` is where the file is, or the name it stands for (`lint - --stdin-filename`):
    configuration and the intervention beside it are found from there. `name` is how
    findings refer to it.
    """

    path: Path
    name: str
    raw: bytes
    size: int


def read_source(path: Path, limits: Limits) -> Source | Problem:
    """The file's bytes, or the problem (SK101) that stops us reading them."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            raw = stream.read(limits.max_bytes + 1)
    except OSError as error:
        return Problem("SK101", f"cannot read file: {error.strerror or error}")
    return Source(path, path.as_posix(), raw, max(size, len(raw)))


def read_if(path: Path, kind: str, limits: Limits) -> Source | None:
    """The bytes of the file at `path` when its first bytes say it is a file of `kind`
    (YAML), else None; the rest of another file is never read. A file that cannot be
    read, or is over the size limit, is None too: where it stands, lint reports it."""
    from spreadkit.formats import sniff_kind

    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > limits.max_bytes:
                return None
            head = stream.read(HEAD_BYTES)
            if sniff_kind(head_text(head)) != kind:
                return None
            raw = head + stream.read(limits.max_bytes + 1 - len(head))
    except OSError:
        return None
    if len(raw) > limits.max_bytes:
        return None
    return Source(path, path.as_posix(), raw, len(raw))


def source_from_bytes(raw: bytes, name: str) -> Source:
    """Bytes read elsewhere (standard input), checked as if they were the file `name`."""
    return Source(Path(name), name, raw, len(raw))


def _utf16_without_bom(raw: bytes) -> str | None:
    """"UTF-16LE" or "UTF-16BE" when the bytes look like UTF-16 text written without a
    byte-order mark (every other byte NUL, as ASCII text in UTF-16 is), else None."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample or any(raw.startswith(bom) for bom, _ in _UTF16_BOMS):
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "UTF-16LE"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "UTF-16BE"
    return None


def _wide_codec(raw: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec the bytes are written in (by their byte-order mark, or
    by their NULs when they have none), else None."""
    for bom, codec in _UTF16_BOMS:
        if raw.startswith(bom):
            return codec
    bare = _utf16_without_bom(raw)
    return bare.lower() if bare is not None else None


def head_text(raw: bytes) -> str:
    """Enough of a file's text to read its first key, whatever its encoding, so that a
    file in the wrong encoding is still recognised, and reported rather than skipped."""
    head = raw[:HEAD_BYTES]
    return head.decode(_wide_codec(head) or "utf-8", "replace")


def shown_text(raw: bytes) -> str | None:
    """The text of a file as its lines are shown beside findings, even when it is refused
    for its encoding: UTF-16 and UTF-32 read as such, and a byte that is not UTF-8 kept as
    one character (a lone surrogate, U+DC80-U+DCFF) that reporters show as `\\xe9`, so
    the caret stays under it. None for a binary file: no line of it is worth showing."""
    codec = _wide_codec(raw)
    if codec is not None:
        return raw.decode(codec, "replace")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if is_binary(raw):
        return None
    return raw.decode("utf-8", "surrogateescape")


def decode_text(raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a spreadkit file, or why it is not UTF-8 text."""
    bare = _utf16_without_bom(raw)
    if bare is not None:
        return None, [Problem("SK101", f"file is {bare} without a byte-order mark; save it as UTF-8",
                              span=FILE_START)]
    return decode(raw)


# YAML ends a line at CR, LF or CRLF (a file saved on classic Mac OS has only CRs).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _first_line(head: str) -> str:
    return _LINE_BREAK.split(head.removeprefix("\ufeff"), maxsplit=1)[0]


def csv_separator(header: str) -> str:
    """The separator a CSV header line uses: `;` when a spreadsheet in a comma-decimal
    locale wrote it (no comma, some semicolons), else `,`."""
    return ";" if ";" in header and "," not in header else ","


def is_measurements_header(head: str) -> bool:
    header = _first_line(head)
    columns = {name.strip().strip('"') for name in header.split(csv_separator(header))}
    return {"site", "period", "outcome"} <= columns


_ANY_FIRST_KEY = re.compile(r"""^["']?([A-Za-z][A-Za-z_-]*)["']?[ \t]*:""")


def near_miss(head: str) -> bool:
    """Whether a YAML text's first key looks like a misspelt spreadkit key (`spredkit:`)."""
    from spreadkit.formats import near_marker

    for line in _LINE_BREAK.split(head):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%", "---")):
            continue
        found = _ANY_FIRST_KEY.match(line)
        return bool(found and near_marker(found.group(1)))
    return False


@dataclass(frozen=True, slots=True)
class Recognised:
    """What a file is from its first bytes: a kind, or None and why it is not ours."""

    kind: str | None
    why_not: str = ""
    near_miss: bool = False  # not ours, but its first key is a typo of ours


def recognise(source: Source) -> Recognised:
    from spreadkit.formats import sniff_kind

    if source.path.suffix.lower() in PARQUET_SUFFIXES:
        return Recognised("measurements")
    head = head_text(source.raw)
    if source.path.suffix.lower() in CSV_SUFFIXES:
        if is_measurements_header(head):
            return Recognised("measurements")
        return Recognised(None, "CSV without site, period and outcome columns")
    kind = sniff_kind(head)
    if kind is None:
        return Recognised(None, "first key is not spreadkit, spreadkit-context or spreadkit-log", near_miss(head))
    return Recognised(kind)


@dataclass(slots=True)
class Loaded:
    """One file, read as far as it could be.

    `model` holds every part of the file that is valid; `invalid` names the parts
    (top-level keys) that are not, and which the model holds at their defaults, so
    that a rule reading only valid parts can still run. `complete` is true when the
    model is the whole file: no problem stopped or changed any part of it.
    """

    source: Source
    kind: str
    problems: list[Problem]
    text: str | None = None
    document: Document | None = None
    model: Model | None = None
    invalid: frozenset[str] = frozenset()
    complete: bool = False
    # Invalid list parts whose valid items `model` holds, with those items' indexes in the file.
    partial: dict[str, tuple[int, ...]] = field(default_factory=dict)


def load(source: Source, kind: str, limits: Limits = Limits()) -> Loaded:
    """Decode, parse and validate `source` as a file of `kind` ("unknown": whatever its
    first key says, and if it says nothing, that is the problem reported)."""
    if source.size > limits.max_bytes:
        return Loaded(source, kind, [size_problem(source.size, limits.max_bytes)])
    if kind == "measurements" and source.path.suffix.lower() in PARQUET_SUFFIXES:
        return _load_parquet(source)
    text, problems = decode_text(source.raw)
    if text is None:
        return Loaded(source, kind, problems)
    if kind == "measurements":
        return _load_measurements(source, text)
    parsed = load_text(text, source.name, limits)
    if parsed.document is None:
        return Loaded(source, kind, parsed.problems, text)
    from spreadkit.formats import validate_parts

    validated = validate_parts(parsed.document, None if kind == "unknown" else kind)
    problems = [*parsed.problems, *validated.problems]
    return Loaded(source, kind, problems, text, parsed.document, validated.model, validated.invalid,
                  complete=validated.model is not None and not problems, partial=validated.partial)


def _load_measurements(source: Source, text: str) -> Loaded:
    from spreadkit.formats.measurements import Table, read_measurements

    header = _first_line(text)
    if csv_separator(header) == ";":
        problem = Problem("SK701", "columns are separated by `;`; spreadkit reads comma-separated files "
                          "(in a spreadsheet, save as \"CSV UTF-8 (comma delimited)\")", span=Span.at(1, 1))
        return Loaded(source, "measurements", [problem], text, model=Table())
    table = read_measurements(text)
    return Loaded(source, "measurements", list(table.problems), text, model=table, complete=_usable(table))


def _usable(table: Table) -> bool:
    """Whether every row can be compared, or was left out (or read trimmed) with a warning
    that says so."""
    from spreadkit.formats.measurements import ROW_WARNINGS

    return all(problem.code in ROW_WARNINGS for problem in table.problems)


def _load_parquet(source: Source) -> Loaded:
    from spreadkit.formats.measurements import Table, columnar_available, read_measurements_parquet

    if not columnar_available():
        problem = Problem("SK101", "reading Parquet needs pyarrow: pip install 'spreadkit[compare]'", span=FILE_START)
        return Loaded(source, "measurements", [problem], model=Table())
    try:
        table = read_measurements_parquet(source.path)
    except Exception as error:  # noqa: BLE001 - pyarrow's many errors for a file that is not Parquet
        problem = Problem("SK101", f"not a readable Parquet file: {type(error).__name__}: {error}", span=FILE_START)
        return Loaded(source, "measurements", [problem], model=Table())
    return Loaded(source, "measurements", list(table.problems), model=table, complete=_usable(table))
