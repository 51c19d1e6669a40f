"""Site measurements (`measurements.csv`, or Parquet): one row per site, outcome and period.

A row is one of four kinds of measure, by the columns it fills:

- a proportion: `numerator` events out of `denominator` cases;
- an indirectly standardised ratio: `numerator` observed events and `expected` events;
- a rate: `numerator` events in a `population` (or person-time);
- a continuous measure: `value`.

`phase` (optional) names the stretch of time a row belongs to, such as baseline and
go-live; a site's control limits are calculated afresh in each phase. Any other column is
a context attribute of the site.

The table is held by column (codes for text, numbers as arrays), so that a national file
of a million rows is read in about a second. Every row is checked by one function,
`check_row`; the columnar reader (pyarrow, when installed, for large files) checks whole
columns at once and hands every row it cannot vouch for to `check_row`, so both readers
give the same rows and the same findings.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spreadkit.formats.base import SLUG_PATTERN
from spreadkit.problems import Problem, Span

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt

    # Keys of rows: a list for small tables, a numpy array for large ones (numpy installed).
    Keys = list[int] | npt.NDArray[np.int64]

REQUIRED_COLUMNS = ("site", "period", "outcome")
# A row with nothing to compare (a denominator of 0): a warning on that row, which is left
# out while the rest of the file is compared.
LEFT_OUT = "SK709"
# A key cell (site, period, outcome, phase) written with spaces around it: read trimmed,
# with a warning at the cell.
PADDED_KEY = "SK715"
# The warnings of rows that are still read (left out, or read with a key cell trimmed):
# the file is usable with them.
ROW_WARNINGS = frozenset({LEFT_OUT, PADDED_KEY})
NUMBER_COLUMNS = ("numerator", "denominator", "expected", "population", "value")
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, *NUMBER_COLUMNS, "phase")
# The cells that say which series a row belongs to, and where in it.
KEY_COLUMNS = (*REQUIRED_COLUMNS, "phase")
SIZE_COLUMNS = ("denominator", "expected", "population")
PERIOD = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-W(?:0[1-9]|[1-4]\d|5[0-3]))?$"
_PERIOD = re.compile(PERIOD)
_SLUG = re.compile(SLUG_PATTERN)
# Kinds of row, as stored in Table.kind.
VALUE, PROPORTION, RATIO, RATE = 0, 1, 2, 3
KIND_NAMES = ("value", "proportion", "ratio", "rate")
SIZE_OF_KIND = {PROPORTION: "denominator", RATIO: "expected", RATE: "population"}
# Files larger than this are read by the columnar reader when pyarrow is installed; below
# it Python's csv module is as fast once pyarrow's import is counted.
COLUMNAR_BYTES = 1 << 20
# Granularity of a period, by its written form.
GRANULARITIES = {4: "yearly", 7: "monthly", 10: "daily"}


def granularity(period: str) -> str:
    """yearly, quarterly, monthly, weekly or daily, from how the period is written."""
    if "-Q" in period:
        return "quarterly"
    if "-W" in period:
        return "weekly"
    return GRANULARITIES.get(len(period), "unknown")


@dataclass(slots=True)
class Codes:
    """A text column: each row's index into `names` (distinct values, in order of first use)."""

    codes: array[int] = field(default_factory=lambda: array("i"))
    names: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def add(self, value: str) -> None:
        code = self._index.get(value)
        if code is None:
            code = self._index[value] = len(self.names)
            self.names.append(value)
        self.codes.append(code)

    def __getitem__(self, row: int) -> str:
        return self.names[self.codes[row]]


@dataclass(slots=True)
class Table:
    """The rows of a measurements file that can be compared, by column, with the problems
    of the rest. `count` is the numerator; `size` the denominator, expected count or
    population (NaN for a value row); `kind` says which (VALUE, PROPORTION, RATIO, RATE).
    `lines` is each row's line in the file (for Parquet, its row number)."""

    columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    site: Codes = field(default_factory=Codes)
    period: Codes = field(default_factory=Codes)
    outcome: Codes = field(default_factory=Codes)
    phase: Codes | None = None
    attributes: dict[str, Codes] = field(default_factory=dict)
    kind: array[int] = field(default_factory=lambda: array("b"))
    count: array[float] = field(default_factory=lambda: array("d"))
    size: array[float] = field(default_factory=lambda: array("d"))
    value: array[float] = field(default_factory=lambda: array("d"))
    lines: array[int] = field(default_factory=lambda: array("q"))
    text: str = ""
    parquet: bool = False
    _line_starts: list[int] | None = None

    def __len__(self) -> int:
        return len(self.kind)

    def span(self, row: int, column: str) -> Span:
        """Where `column` of the `row`-th comparable row is written."""
        return self.span_at_line(self.lines[row], column)

    def span_at_line(self, line: int, column: str) -> Span:
        index = self.columns.index(column) if column in self.columns else 0
        if self.parquet:
            return Span.at(line, index + 1)
        starts = field_columns(self.line_text(line))
        return Span.at(line, starts[index] if index < len(starts) else 1)

    def line_text(self, line: int) -> str:
        if line == 1:  # the header: found without indexing every line of a large file
            end = self.text.find("\n")
            return self.text[:end if end >= 0 else None].removesuffix("\r")
        if self._line_starts is None:
            self._line_starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:end if end >= 0 else len(self.text)].removesuffix("\r")

    def rows(self) -> Iterator[Measurement]:
        for index in range(len(self)):
            yield self.row(index)

    def row(self, index: int) -> Measurement:
        kind = self.kind[index]
        count, size, value = self.count[index], self.size[index], self.value[index]
        return Measurement(
            site=self.site[index], period=self.period[index], outcome=self.outcome[index],
            kind=KIND_NAMES[kind], numerator=None if kind == VALUE else int(count),
            size=None if kind == VALUE else size, value=value if kind == VALUE else None,
            phase=self.phase[index] if self.phase is not None else "",
            attributes={name: codes[index] for name, codes in self.attributes.items()})

    def append(self, checked: CheckedRow, line: int) -> None:
        self.site.add(checked.site)
        self.period.add(checked.period)
        self.outcome.add(checked.outcome)
        if self.phase is not None:
            self.phase.add(checked.phase)
        for name, value in zip(self.attributes, checked.attributes):
            self.attributes[name].add(value)
        self.kind.append(checked.kind)
        self.count.append(checked.count)
        self.size.append(checked.size)
        self.value.append(checked.value)
        self.lines.append(line)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One comparable row, for reading a few rows one at a time (the table is by column).

    `size` is the denominator, expected count or population, by `kind`."""

    site: str
    period: str
    outcome: str
    kind: str
    numerator: int | None = None
    size: float | None = None
    value: float | None = None
    phase: str = ""
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        if self.numerator is None or self.size is None:
            return None
        return self.numerator / self.size


def field_columns(line: str) -> list[int]:
    """The 1-based column where each comma-separated field of `line` starts."""
    starts, quoted = [1], False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts


# --- one row ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each known column sits in a row, from the header."""

    columns: tuple[str, ...]
    index: dict[str, int]
    attributes: tuple[int, ...]

    @classmethod
    def of(cls, header: Sequence[str]) -> Layout:
        index: dict[str, int] = {}
        for position, name in enumerate(header):
            index.setdefault(name, position)
        attributes = tuple(position for position, name in enumerate(header)
                           if name not in KNOWN_COLUMNS and index[name] == position)
        return cls(tuple(header), index, attributes)

    def get(self, cells: Sequence[str], name: str) -> str:
        position = self.index.get(name)
        return cells[position].strip() if position is not None else ""


@dataclass(frozen=True, slots=True)
class CheckedRow:
    site: str
    period: str
    outcome: str
    phase: str
    kind: int
    count: float
    size: float
    value: float
    attributes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RowProblem:
    code: str
    column: str
    message: str


def check_row(cells: Sequence[str], layout: Layout) -> tuple[CheckedRow | None, list[RowProblem]]:
    """A row's values, or None with what is wrong with it, field by field.

    A row with a denominator (expected count, population) of 0 and no events is left out
    with a warning (SK709): there is nothing to compare, but the rest of the file is. A
    site, period, outcome or phase written with spaces around it is read without them,
    with a warning (SK715) naming what it became: the row joins those written without
    them, never unseen, and one value is never split in two.
    """
    problems: list[RowProblem] = []
    site, period, outcome = (layout.get(cells, name) for name in REQUIRED_COLUMNS)
    if not site:
        problems.append(RowProblem("SK702", "site", "`site` is empty"))
    if not period:
        problems.append(RowProblem("SK702", "period", "`period` is empty"))
    elif not _PERIOD.match(period):
        problems.append(RowProblem("SK702", "period", f"period `{_brief(period)}` is not YYYY, YYYY-MM, "
                                   "YYYY-MM-DD, YYYY-Qn or YYYY-Wnn"))
    elif not valid_period(period):
        problems.append(RowProblem("SK702", "period", f"period `{period}` is not a day of the calendar"))
    if not outcome:
        problems.append(RowProblem("SK702", "outcome", "`outcome` is empty"))
    elif not _SLUG.match(outcome):
        problems.append(RowProblem("SK702", "outcome", f"outcome `{_brief(outcome)}` is not an id "
                                   "(lowercase letters, digits, hyphens)"))
    given = {name: layout.get(cells, name) for name in NUMBER_COLUMNS if name in layout.index}
    given = {name: text for name, text in given.items() if text}
    numbers: dict[str, float] = {}
    for name, text in given.items():
        number, message = _number(name, text)
        if message:
            problems.append(RowProblem("SK702", name, message))
        else:
            numbers[name] = number
    if problems:
        return None, problems
    sizes = [name for name in SIZE_COLUMNS if name in given]
    kind, count, size, value = VALUE, math.nan, math.nan, math.nan
    if "value" in given and ("numerator" in given or sizes):
        culprit = "numerator" if "numerator" in given else sizes[0]
        return None, [RowProblem("SK702", culprit, "give numerator and denominator, or value, not both")]
    if len(sizes) > 1:
        return None, [RowProblem("SK702", sizes[1], f"give one of {', '.join(sizes)}, not several")]
    if "value" in given:
        value = numbers["value"]
    elif "numerator" in given and sizes:
        kind = {"denominator": PROPORTION, "expected": RATIO, "population": RATE}[sizes[0]]
        count, size = numbers["numerator"], numbers[sizes[0]]
        if kind == PROPORTION and count > size:
            return None, [RowProblem("SK702", "numerator", f"numerator {given['numerator']} is above denominator "
                                                           f"{given['denominator']}")]
        if size == 0:
            if count > 0:
                return None, [RowProblem("SK702", sizes[0], f"{sizes[0]} is 0 but numerator is "
                                                            f"{given['numerator']}")]
            return None, [RowProblem(LEFT_OUT, sizes[0], f"{sizes[0]} is 0: the row has nothing to compare and is "
                                                        "left out")]
    else:
        if "numerator" in given:
            wanted = "denominator" if "denominator" in layout.index or len(
                [c for c in SIZE_COLUMNS if c in layout.index]) != 1 else \
                next(c for c in SIZE_COLUMNS if c in layout.index)
            return None, [RowProblem("SK702", wanted, f"a proportion needs both numerator and {wanted}"
                                     if wanted == "denominator" else f"numerator needs its {wanted}")]
        if sizes:
            return None, [RowProblem("SK702", "numerator", "a proportion needs both numerator and denominator"
                                     if sizes[0] == "denominator" else f"{sizes[0]} needs its numerator")]
        return None, [RowProblem("SK702", "numerator" if "numerator" in layout.index else "value",
                                 "a row needs numerator and denominator, or value")]
    phase = layout.get(cells, "phase")
    attributes = tuple(cells[position].strip() for position in layout.attributes)
    padded = [RowProblem(PADDED_KEY, name, f"{name} `{_brief(cells[layout.index[name]])}` has spaces around it: "
                         f"read as `{read}`")
              for name, read in zip(KEY_COLUMNS, (site, period, outcome, phase))
              # A missing phase column reads as "", and a phase of only spaces is no phase, as an empty one.
              if read and cells[layout.index[name]] != read]
    return CheckedRow(site, period, outcome, phase, kind, count, size, value, attributes), padded


def _number(name: str, text: str) -> tuple[float, str]:
    """The number in a cell, or why it is not one."""
    if "_" in text:  # Python reads 1_000 as a thousand; a spreadsheet never writes it
        return math.nan, f"{name} `{_brief(text)}` is not a {'whole ' if name in ('numerator', 'denominator') else ''}number"
    if name in ("numerator", "denominator"):
        try:
            number = int(text)
        except ValueError:
            return math.nan, f"{name} `{_brief(text)}` is not a whole number"
        if number < 0:
            if name == "numerator":
                return math.nan, f"numerator `{_brief(text)}` is negative"
            return math.nan, f"denominator `{_brief(text)}` must not be negative"
        if number > 2 ** 53:  # beyond this a float no longer holds every whole number
            return math.nan, f"{name} `{_brief(text)}` is too large"
        return float(number), ""
    try:
        value = float(text)
    except ValueError:
        return math.nan, f"{name} `{_brief(text)}` is not a number"
    if not math.isfinite(value):
        return math.nan, f"{name} `{_brief(text)}` is not a finite number"
    if name != "value" and value < 0:
        return math.nan, f"{name} `{_brief(text)}` must not be negative"
    return value, ""


def _brief(text: str) -> str:
    """A cell as quoted in a message: one readable line."""
    return text if len(text) <= 40 else text[:37] + "..."


# --- the file -----------------------------------------------------------------------------------


def read_measurements(source: str | bytes) -> Table:
    """The comparable rows of a measurements CSV, with the problems of the rest; every
    problem has a line and column. Large files are read by column when pyarrow is
    installed; the rows and problems are the same either way."""
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    text = text.removeprefix("\ufeff")
    if len(text) >= COLUMNAR_BYTES and columnar_available():
        from spreadkit.formats import measurements_columnar

        table = measurements_columnar.read_csv_text(text)
        if table is not None:
            return table
    return read_csv_rows(text)


def columnar_available() -> bool:
    try:
        import numpy  # noqa: F401
        import pyarrow  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    return True


def read_measurements_parquet(path: Path) -> Table:
    """The comparable rows of a Parquet file of measurements (line = row number)."""
    from spreadkit.formats import measurements_columnar

    return measurements_columnar.read_parquet(path)


def start_table(header: list[str], table: Table, line: int = 1) -> Layout | None:
    """Check the header; the layout of its rows, or None (with the problem) when the
    file cannot be read further."""
    header = [name.strip() for name in header]
    table.columns = header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        table.problems.append(Problem("SK701", "measurements header lacks column(s): " + ", ".join(missing),
                                      span=Span.at(line, 1)))
        return None
    if "value" not in header and not ("numerator" in header and any(c in header for c in SIZE_COLUMNS)):
        table.problems.append(Problem("SK701", "measurements need numerator and denominator columns (or expected, "
                                      "or population), or a value column", span=Span.at(line, 1)))
        return None
    seen: set[str] = set()
    starts = list(range(1, len(header) + 1)) if table.parquet else field_columns(table.line_text(line))
    for index, name in enumerate(header):
        if name in seen:
            table.problems.append(Problem("SK701", f"column `{name}` appears twice",
                                          span=Span.at(line, starts[min(index, len(starts) - 1)])))
        seen.add(name)
    layout = Layout.of(header)
    if "phase" in header:
        table.phase = Codes()
    table.attributes = {header[position]: Codes() for position in layout.attributes}
    return layout


def place_row_problems(table: Table, line: int, cells: Sequence[str], problems: list[RowProblem]) -> None:
    columns = field_columns(table.line_text(line)) if not table.parquet else list(range(1, len(cells) + 2))
    for problem in problems:
        index = table.columns.index(problem.column) if problem.column in table.columns else 0
        start = columns[index] if index < len(columns) else 1
        width = len(cells[index]) if index < len(cells) else 0
        table.problems.append(Problem(problem.code, problem.message,
                                      span=Span(line, start, line, start + max(width, 1))))


def finish_table(table: Table, rows_seen: int, header_line: int = 1) -> Table:
    if rows_seen == 0 and not any(p.code == "SK701" for p in table.problems):
        table.problems.append(Problem("SK701", "the file has a header but no rows of measurements",
                                      span=Span.at(header_line, 1)))
    return table


def read_csv_rows(text: str) -> Table:
    """The reader for every file: Python's csv module, one row at a time."""
    table = Table(text=text)
    # A cell may be as long as the file may be; Python's default cap is 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        table.problems.append(Problem("SK701", "measurements file is empty; it needs a header row",
                                      span=Span.at(1, 1)))
        return table
    except csv.Error as error:
        table.problems.append(Problem("SK701", f"unreadable CSV header: {error}", span=Span.at(1, 1)))
        return table
    layout = start_table(header, table)
    if layout is None:
        return table
    width = len(table.columns)
    rows_seen = 0
    while True:
        line = reader.line_num + 1  # a record starts on the line after the last one read
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            table.problems.append(Problem("SK702", f"unreadable CSV row: {error}", span=Span.at(reader.line_num, 1)))
            break
        rows_seen += take_row(table, layout, width, line, cells)
    return finish_table(table, rows_seen)


def take_row(table: Table, layout: Layout, width: int, line: int, cells: Sequence[str]) -> int:
    """Add a row to the table, or its problems; 1 if it was a row at all, 0 if blank."""
    if not any(cell.strip() for cell in cells):
        return 0
    if len(cells) != width:
        table.problems.append(Problem("SK702", f"row has {len(cells)} fields; the header has {width}",
                                      span=Span.at(line, 1)))
        return 1
    checked, problems = check_row(cells, layout)
    place_row_problems(table, line, cells, problems)  # a row's errors, or the warning of a row still read
    if checked is not None:
        table.append(checked, line)
    return 1


# --- checks across rows (SK706-SK711), shared by lint and compare ------------------------------


def series_keys(table: Table) -> Keys:
    """One whole number per (site, outcome) pair."""
    outcomes = len(table.outcome.names) or 1
    site, outcome = table.site.codes, table.outcome.codes
    if len(table) > 50_000 and columnar_available():
        import numpy as np

        return np.frombuffer(site, dtype=np.int32).astype(np.int64) * outcomes + \
            np.frombuffer(outcome, dtype=np.int32)
    return [s * outcomes + o for s, o in zip(site, outcome)]


def first_rows(keys: Keys) -> dict[int, int]:
    """The first row of each key, in order of first appearance."""
    if not isinstance(keys, list):
        import numpy as np

        unique, first = np.unique(np.asarray(keys), return_index=True)
        order = np.argsort(first, kind="stable")
        return dict(zip(unique[order].tolist(), first[order].tolist()))
    found: dict[int, int] = {}
    for row, key in enumerate(keys):
        found.setdefault(key, row)
    return found


def repeated_rows(keys: Keys) -> list[tuple[int, int]]:
    """(row, the first row with the same key) for every row whose key came before."""
    if not isinstance(keys, list):
        import numpy as np

        values = np.asarray(keys)
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        again = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if again.size == 0:
            return []
        group_start = np.maximum.accumulate(np.where(np.r_[True, ordered[1:] != ordered[:-1]],
                                                     np.arange(ordered.size), 0))
        pairs = sorted(zip(order[again].tolist(), order[group_start[again]].tolist()))
        return pairs
    seen: dict[int, int] = {}
    pairs_found: list[tuple[int, int]] = []
    for row, key in enumerate(keys):
        first = seen.setdefault(key, row)
        if first != row:
            pairs_found.append((row, first))
    return pairs_found


def counts_by_key(keys: Keys) -> dict[int, int]:
    if not isinstance(keys, list):
        import numpy as np

        unique, counts = np.unique(np.asarray(keys), return_counts=True)
        return dict(zip(unique.tolist(), counts.tolist()))
    counted: dict[int, int] = {}
    for key in keys:
        counted[key] = counted.get(key, 0) + 1
    return counted


def row_keys(table: Table) -> Keys:
    """One whole number per (site, period, outcome)."""
    periods = len(table.period.names) or 1
    outcomes = len(table.outcome.names) or 1
    if len(table) > 50_000 and columnar_available():
        import numpy as np

        site = np.frombuffer(table.site.codes, dtype=np.int32).astype(np.int64)
        period = np.frombuffer(table.period.codes, dtype=np.int32).astype(np.int64)
        outcome = np.frombuffer(table.outcome.codes, dtype=np.int32).astype(np.int64)
        return (site * periods + period) * outcomes + outcome
    return [(s * periods + p) * outcomes + o
            for s, p, o in zip(table.site.codes, table.period.codes, table.outcome.codes)]


def mixed_kinds(table: Table) -> Iterator[Problem]:
    """SK710: an outcome whose rows are of different kinds (proportion and value, say)."""
    first_of: dict[tuple[int, int], int] = {}
    kinds = table.kind
    outcome = table.outcome.codes
    if len(table) > 50_000 and columnar_available():
        import numpy as np

        key = np.frombuffer(outcome, dtype=np.int32).astype(np.int64) * 4 + np.frombuffer(kinds, dtype=np.int8)
        first_of = {(k // 4, k % 4): row for k, row in first_rows(key).items()}
    else:
        for row, (o, k) in enumerate(zip(outcome, kinds)):
            first_of.setdefault((o, k), row)
    by_outcome: dict[int, list[tuple[int, int]]] = {}
    for (o, k), row in first_of.items():
        by_outcome.setdefault(o, []).append((row, k))
    for o, found in by_outcome.items():
        if len(found) < 2:
            continue
        found.sort()
        (first_row, first_kind), *others = found
        for row, kind in others:
            yield Problem("SK710", f"outcome `{table.outcome.names[o]}` mixes {KIND_NAMES[first_kind]} rows (from line "
                          f"{table.lines[first_row]}) with {KIND_NAMES[kind]} rows; give each outcome one kind of "
                          "measure", span=table.span(row, _kind_column(kind)))


def _kind_column(kind: int) -> str:
    return "value" if kind == VALUE else SIZE_OF_KIND[kind]


def mixed_periods(table: Table) -> Iterator[Problem]:
    """SK711: a site's series of one outcome mixing yearly, quarterly, monthly, weekly or
    daily periods, which cannot be put in one time order."""
    kinds = [granularity(name) for name in table.period.names]
    if len(set(kinds)) < 2:
        return
    code_of = {name: index for index, name in enumerate(sorted(set(kinds)))}
    period_kind = [code_of[k] for k in kinds]
    names = sorted(set(kinds))
    series = series_keys(table)
    width = len(names)
    if not isinstance(series, list):
        import numpy as np

        per = np.asarray(period_kind, dtype=np.int64)[np.frombuffer(table.period.codes, dtype=np.int32)]
        keyed: Keys = np.asarray(series) * width + per
    else:
        keyed = [s * width + period_kind[p] for s, p in zip(series, table.period.codes)]
    first_of = first_rows(keyed)
    by_series: dict[int, list[tuple[int, int]]] = {}
    for key, row in first_of.items():
        by_series.setdefault(key // width, []).append((row, key % width))
    for found in by_series.values():
        if len(found) < 2:
            continue
        found.sort()
        (first_row, first_kind), *others = found
        for row, kind in others:
            yield Problem("SK711", f"`{table.site[row]}`, `{table.outcome[row]}` mixes {names[first_kind]} periods "
                          f"({table.period[first_row]}, line {table.lines[first_row]}) with {names[kind]} ones "
                          f"({table.period[row]}); give one series one kind of period", span=table.span(row, "period"))


def few_points(table: Table, minimum: int) -> Iterator[tuple[int, str, str, int]]:
    """(first row, site, outcome, periods) of each series with fewer than `minimum` periods."""
    keys = series_keys(table)
    counts = counts_by_key(keys)
    for key, row in sorted(first_rows(keys).items(), key=lambda item: (table.site[item[1]], table.outcome[item[1]])):
        if counts[key] < minimum:
            yield row, table.site[row], table.outcome[row], counts[key]


# --- periods ------------------------------------------------------------------------------------


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period as the format writes it."""
    year = int(period[:4])
    kind = granularity(period)
    if kind == "yearly":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == "quarterly":
        quarter = int(period[6])
        first = datetime.date(year, 3 * quarter - 2, 1)
        return first, _month_end(year, 3 * quarter)
    if kind == "monthly":
        month = int(period[5:7])
        return datetime.date(year, month, 1), _month_end(year, month)
    if kind == "weekly":
        first = datetime.date.fromisocalendar(year, int(period[6:8]), 1)
        return first, first + datetime.timedelta(days=6)
    day = datetime.date(year, int(period[5:7]), int(period[8:10]))
    return day, day


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def valid_period(period: str) -> bool:
    """Written as the format says, and a real day (not 2027-02-30 or week 53 of a
    52-week year)."""
    if not _PERIOD.match(period):
        return False
    try:
        period_bounds(period)
    except ValueError:
        return False
    return True
