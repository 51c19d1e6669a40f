"""The columnar reader of measurements: pyarrow splits the file into columns, numpy checks
them whole, and every row it cannot vouch for goes to `check_row`, the one function that
decides what is wrong with a row, so that the rows and findings are those of the row
reader. Only `spreadkit compare` loads this module (the `compare` extra).

A row is vouched for when each cell is in its plainest form: text that Python's strip
leaves alone or strips to a valid id (a site, period, outcome or phase that strip leaves
alone), whole numbers of digits only, decimals with digits, a point and an exponent;
everything else (spaces, signs, `1_000`, `nan`) is read by `check_row`, as the row
reader reads it.
"""

from __future__ import annotations

import csv
import io
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from spreadkit.formats.measurements import (_SLUG, KEY_COLUMNS, PROPORTION, RATE, RATIO, VALUE, Codes, Layout,
                                            Table, finish_table, start_table, take_row, valid_period)
from spreadkit.problems import Problem

_WHOLE = r"^[0-9]{1,15}$"
_DECIMAL = r"^-?(?:[0-9]{1,300}(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?$"
_POSITIVE = r"^(?:[0-9]{1,300}(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?$"
_PATTERN = {"numerator": _WHOLE, "denominator": _WHOLE, "expected": _POSITIVE, "population": _POSITIVE,
            "value": _DECIMAL}


def read_csv_text(text: str) -> Table | None:
    """The table of a CSV text, or None when the file needs the row reader (NUL bytes,
    lone carriage returns, quotes inside unquoted cells)."""
    data = text.encode("utf-8")
    # bytes' own searches: a pass each at memory speed, with no array the size of the file.
    if b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    buffer = np.frombuffer(data, dtype=np.uint8)
    quoted = b'"' in data
    if quoted and not _plain_quoting(buffer):
        return None
    record_lines, header_end = _records(data, buffer, quoted)
    if record_lines.size == 0:
        return None  # empty: the row reader says so
    table = Table(text=text)
    try:
        header = next(csv.reader(io.StringIO(data[:header_end].decode("utf-8"))))
    except (StopIteration, csv.Error):
        return None
    layout = start_table(header, table, int(record_lines[0]))
    if layout is None:
        return table
    import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

    width = len(table.columns)
    names = [f"c{index}" for index in range(width)]
    short: list[tuple[int | None, str]] = []  # (record number, text) of rows with the wrong number of fields

    def wrong_width(row: Any) -> str:
        short.append((row.number, str(row.text)))
        return "skip"

    def parse(threads: bool) -> Any:
        short.clear()
        return pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, use_threads=threads,
                                            block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(newlines_in_values=quoted, invalid_row_handler=wrong_width),
            convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False))

    if record_lines.size == 1:
        return finish_table(table, 0)
    try:
        arrow = parse(threads=True)
        if any(number is None for number, _ in short):
            arrow = parse(threads=False)  # only a single-threaded read numbers the rows it rejects
    except pa.ArrowInvalid:
        return None  # what pyarrow cannot split, the row reader reads and reports
    records = np.arange(2, record_lines.size + 1, dtype=np.int64)
    rejected = [int(number) for number, _ in short if number is not None]
    if rejected:
        records = np.setdiff1d(records, np.array(rejected, dtype=np.int64), assume_unique=True)
    lines = record_lines[records - 1]
    late = [(int(record_lines[int(number) - 1]), text_of) for number, text_of in short if number is not None]
    return _fill(table, layout, arrow, lines, late)


def read_parquet(path: Path) -> Table:
    """A Parquet file's rows, read as text cells, so that they are checked as a CSV's are.
    A finding's line is the row's number (1 = the first row) and its column the column's
    position."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    arrow = pq.read_table(path)
    table = Table(parquet=True)
    header = [str(name) for name in arrow.column_names]
    layout = start_table(header, table, 1)
    if layout is None:
        return table
    names = [f"c{index}" for index in range(len(header))]
    columns = [pc.fill_null(pc.cast(column, pa.string()), "") for column in arrow.columns]
    arrow = pa.table(columns, names=names)
    lines = np.arange(1, arrow.num_rows + 1, dtype=np.int64)
    return _fill(table, layout, arrow, lines, [])


def _plain_quoting(buffer: npt.NDArray[np.uint8]) -> bool:
    """Every quote opens or closes a cell, or is doubled inside one: then pyarrow and
    Python's csv module read the cells alike."""
    quotes = np.flatnonzero(buffer == 34)
    edges = np.array([34, 44, 10, 13], dtype=np.uint8)
    before = np.where(quotes > 0, buffer[np.maximum(quotes - 1, 0)], 10)
    after = np.where(quotes + 1 < buffer.size, buffer[np.minimum(quotes + 1, buffer.size - 1)], 10)
    return bool(np.all(np.isin(before, edges) | np.isin(after, edges)))


def _records(raw: bytes, buffer: npt.NDArray[np.uint8], quoted: bool) -> tuple[npt.NDArray[np.int64], int]:
    """The first line of each non-empty record (as pyarrow numbers them), and the byte
    where the header record ends. `buffer` is `raw` as an array."""
    if not quoted and b"\n\n" not in raw and b"\n\r\n" not in raw and not raw.startswith((b"\n", b"\r\n")):
        # The common file: one record a line and no empty line, so record k is line k.
        lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
        end = raw.find(b"\n")
        return np.arange(1, lines + 1, dtype=np.int64), end if end >= 0 else len(raw)
    lines_at = np.flatnonzero(buffer == 10)
    newlines = lines_at
    if quoted:
        quotes = np.flatnonzero(buffer == 34)
        # A newline ends a record when an even number of quotes comes before it.
        newlines = lines_at[np.searchsorted(quotes, lines_at) % 2 == 0]
    ends = np.r_[newlines, buffer.size]
    starts = np.r_[0, newlines + 1]
    lengths = ends - starts
    carriage = (lengths == 1) & (buffer[np.minimum(starts, buffer.size - 1)] == 13) if buffer.size else lengths == 0
    kept = (lengths > 0) & ~carriage
    if quoted:
        first_line = np.searchsorted(lines_at, starts[kept]) + 1
    else:  # every record is a line: its number is its place
        first_line = np.flatnonzero(kept) + 1
    header_end = int(ends[kept][0]) if kept.any() else 0
    return first_line.astype(np.int64), header_end


def _fill(table: Table, layout: Layout, arrow: Any, lines: npt.NDArray[np.int64],
          late: list[tuple[int, str]]) -> Table:
    rows = arrow.num_rows
    width = len(table.columns)
    column = {name: arrow.column(position) for name, position in layout.index.items()}
    given: dict[str, npt.NDArray[np.bool_]] = {}
    numbers: dict[str, npt.NDArray[np.float64]] = {}
    texts: dict[int, tuple[npt.NDArray[np.int64], list[str], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]] = {}
    clean = np.ones(rows, dtype=bool)
    blank = np.ones(rows, dtype=bool)  # a row of empty cells: the row reader skips it
    validators = {"site": None, "period": valid_period, "outcome": _SLUG.match}
    for position, name in enumerate(table.columns):
        if name in _PATTERN and layout.index[name] == position:
            present, simple, values = _number(column[name], _PATTERN[name])
            given[name], numbers[name] = present, values
            clean &= simple | ~present
            blank &= ~present
            continue
        required = name in validators and layout.index[name] == position
        key = name in KEY_COLUMNS and layout.index[name] == position
        texts[position] = _text(arrow.column(position), validators.get(name), allow_empty=not required,
                                as_written=key)
        blank &= texts[position][3]
        if key:
            clean &= texts[position][2]
    kind, count, size, value = _kinds(rows, given, numbers)
    with np.errstate(invalid="ignore"):
        sensible = ((kind == VALUE) & np.isfinite(value)) | \
            ((kind > VALUE) & (size > 0) & np.isfinite(size) & ((kind != PROPORTION) | (count <= size)))
    clean &= sensible & ~blank
    kept = np.flatnonzero(clean)
    fallback = np.flatnonzero(~clean & ~blank)
    # Every row not vouched for is read by check_row, into a table of its own.
    slow = Table(columns=table.columns, text=table.text, parquet=table.parquet,
                 phase=Codes() if table.phase is not None else None,
                 attributes={name: Codes() for name in table.attributes})
    rows_seen = kept.size
    found: list[tuple[int, list[Problem]]] = []
    taken = arrow.take(pa.array(fallback)).to_pylist() if fallback.size else []
    slow_rows = [(int(lines[index]), [cells[f"c{i}"] for i in range(width)])
                 for index, cells in zip(fallback.tolist(), taken)]
    slow_rows += [(line, next(csv.reader(io.StringIO(text_of)), []) or [text_of]) for line, text_of in late]
    for line, cells in sorted(slow_rows, key=lambda item: item[0]):
        before = len(slow.problems)
        rows_seen += take_row(slow, layout, width, line, cells)
        if len(slow.problems) > before:
            found.append((line, slow.problems[before:]))
    table.problems.extend(problem for _, problems in found for problem in problems)
    # The comparable rows in file order: the vouched-for ones and those check_row accepted.
    order = np.argsort(np.r_[lines[kept], np.frombuffer(slow.lines, dtype=np.int64)], kind="stable")

    identity = len(slow) == 0 and kept.size == rows

    def codes(fast_codes: npt.NDArray[np.int64], fast_names: list[str], other: Codes) -> Codes:
        if identity and len(fast_names) == int(fast_codes.max(initial=-1)) + 1:
            # Every row kept, in file order: pyarrow numbered the values in order of first use.
            found = Codes(names=list(fast_names))
            found._index = {name: position for position, name in enumerate(fast_names)}
            found.codes.frombytes(fast_codes.astype(np.int32).tobytes())
            return found
        index = {name: position for position, name in enumerate(fast_names)}
        other_codes = np.array([index.setdefault(name, len(index)) for name in other.names] + [0], dtype=np.int64)
        combined = np.r_[fast_codes[kept], other_codes[np.frombuffer(other.codes, dtype=np.int32)]]
        return _compact(combined[order], list(index))

    def numbers_of(fast_values: npt.NDArray[Any], other: array[Any], dtype: Any) -> array[Any]:
        combined = np.r_[fast_values[kept].astype(dtype), np.frombuffer(other, dtype=dtype)][order]
        out = array(other.typecode)
        out.frombytes(combined.tobytes())
        return out

    for name in ("site", "period", "outcome"):
        found_codes, found_names, _, _ = texts[layout.index[name]]
        setattr(table, name, codes(found_codes, found_names, getattr(slow, name)))
    if table.phase is not None and slow.phase is not None:
        found_codes, found_names, _, _ = texts[layout.index["phase"]]
        table.phase = codes(found_codes, found_names, slow.phase)
    for position, name in zip(layout.attributes, list(table.attributes)):
        found_codes, found_names, _, _ = texts[position]
        table.attributes[name] = codes(found_codes, found_names, slow.attributes[name])
    table.kind = numbers_of(kind, slow.kind, np.int8)
    table.count = numbers_of(count, slow.count, np.float64)
    table.size = numbers_of(size, slow.size, np.float64)
    table.value = numbers_of(value, slow.value, np.float64)
    table.lines = numbers_of(lines, slow.lines, np.int64)
    return finish_table(table, rows_seen, header_line=1)


def _kinds(rows: int, given: dict[str, npt.NDArray[np.bool_]], numbers: dict[str, npt.NDArray[np.float64]]
           ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64], npt.NDArray[np.float64],
                      npt.NDArray[np.float64]]:
    """Each row's kind (-1 when its filled cells make none) and its numbers."""
    none = np.zeros(rows, dtype=bool)
    numerator = given.get("numerator", none)
    has_value = given.get("value", none)
    sizes = {name: given.get(name, none) for name in ("denominator", "expected", "population")}
    size_count = sum(flags.astype(np.int8) for flags in sizes.values())
    kind = np.full(rows, -1, dtype=np.int8)
    count, size, value = np.full(rows, np.nan), np.full(rows, np.nan), np.full(rows, np.nan)
    only_value = has_value & ~numerator & (size_count == 0)
    kind[only_value] = VALUE
    if "value" in numbers:
        value[only_value] = numbers["value"][only_value]
    for name, code in (("denominator", PROPORTION), ("expected", RATIO), ("population", RATE)):
        if name not in numbers:
            continue
        pick = numerator & sizes[name] & (size_count == 1) & ~has_value
        kind[pick] = code
        count[pick] = numbers["numerator"][pick]
        size[pick] = numbers[name][pick]
    return kind, count, size, value


def _compact(codes: npt.NDArray[np.int64], names: list[str]) -> Codes:
    """Codes renumbered in order of first use among the kept rows, as the row reader
    numbers them, without names no kept row uses."""
    result = Codes()
    if codes.size == 0:
        return result
    used, first = np.unique(codes, return_index=True)
    order = used[np.argsort(first, kind="stable")]
    renumber = np.full(len(names) + 1, -1, dtype=np.int32)
    renumber[order] = np.arange(order.size, dtype=np.int32)
    result.names = [names[i] for i in order.tolist()]
    result._index = {name: position for position, name in enumerate(result.names)}
    result.codes = array("i")
    result.codes.frombytes(renumber[codes].astype(np.int32).tobytes())
    return result


def _text(chunked: Any, valid: Any, allow_empty: bool = False, as_written: bool = False) -> tuple[
        npt.NDArray[np.int64], list[str], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Each row's code into the stripped distinct values, those values, whether the
    row's value is acceptable (non-empty unless `allow_empty`, `valid` when given, and
    with `as_written` one that strip leaves alone: check_row warns of the others), and
    whether it is empty. The distinct values are few; they are checked in Python,
    with Python's own strip, as the row reader checks them."""
    encoded = pc.dictionary_encode(chunked).combine_chunks()
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    position: dict[str, int] = {}
    distinct = encoded.dictionary.to_pylist()
    code_of = np.empty(len(distinct), dtype=np.int64)
    ok_of = np.empty(len(distinct), dtype=bool)
    empty_of = np.empty(len(distinct), dtype=bool)
    for index, raw in enumerate(distinct):
        name = raw.strip()
        code_of[index] = position.setdefault(name, len(position))
        empty_of[index] = not name
        ok_of[index] = allow_empty if not name else (valid is None or bool(valid(name))) and \
            (not as_written or raw == name)
    return code_of[indices], list(position), ok_of[indices], empty_of[indices]


def _number(chunked: Any, pattern: str) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_],
                                                  npt.NDArray[np.float64]]:
    """Whether each cell holds anything, whether it is a plain number, and its value."""
    rows = len(chunked)
    if rows == 0 or (pc.max(pc.utf8_length(chunked)).as_py() or 0) == 0:
        return np.zeros(rows, dtype=bool), np.zeros(rows, dtype=bool), np.zeros(rows)
    whole = pattern == _WHOLE
    try:  # the common case, a column of plain numbers only: one pass
        cast = pc.cast(chunked, pa.int64() if whole else pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        cast = None
    if cast is not None:
        values = cast.to_numpy(zero_copy_only=False).astype(np.float64)
        lowest = 0.0 if pattern != _DECIMAL else -np.inf
        if bool(np.all(np.isfinite(values))) and float(values.min()) >= lowest and float(values.max()) < 1e15:
            everywhere = np.ones(rows, dtype=bool)
            return everywhere, everywhere, values
    trimmed = pc.ascii_trim_whitespace(chunked)
    # Python's strip removes more than ASCII white space: a cell of only such characters
    # is "present" here, not simple, and so goes to the row reader, which finds it empty.
    present = pc.not_equal(trimmed, "").to_numpy(zero_copy_only=False)
    simple_arrow = pc.match_substring_regex(trimmed, pattern)
    simple = simple_arrow.to_numpy(zero_copy_only=False)
    values = pc.cast(pc.if_else(simple_arrow, trimmed, "0"), pa.float64()).to_numpy(zero_copy_only=False)
    return present, simple, values.astype(np.float64)
