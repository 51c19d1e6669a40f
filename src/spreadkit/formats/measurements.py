"""Site measurements (`measurements.csv`): one row per site, outcome and period.

Proportions carry `numerator` and `denominator`; a `value` column without a
denominator is a continuous measure. Any other column is a context attribute.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spreadkit.formats.base import SLUG_PATTERN
from spreadkit.problems import Problem, Span

REQUIRED_COLUMNS = ("site", "period", "outcome")
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, "numerator", "denominator", "value")
PERIOD = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-W(?:0[1-9]|[1-4]\d|5[0-3]))?$"


class Measurement(BaseModel):
    """One row. `period` is YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Wnn, so that
    periods sort as written."""

    model_config = ConfigDict(extra="forbid")

    site: str = Field(min_length=1)
    period: str = Field(pattern=PERIOD)
    outcome: str = Field(pattern=SLUG_PATTERN)
    numerator: int | None = Field(default=None, ge=0)
    denominator: int | None = Field(default=None, gt=0)
    value: float | None = Field(default=None, allow_inf_nan=False)
    attributes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _proportion_or_value(self) -> Measurement:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("a proportion needs both numerator and denominator")
        if self.numerator is None and self.value is None:
            raise ValueError("a row needs numerator and denominator, or value")
        if self.numerator is not None and self.value is not None:
            raise ValueError("give numerator and denominator, or value, not both")
        if self.numerator is not None and self.denominator is not None and self.numerator > self.denominator:
            raise ValueError(f"numerator {self.numerator} is above denominator {self.denominator}")
        return self

    @property
    def rate(self) -> float | None:
        if self.numerator is None or self.denominator is None:
            return None
        return self.numerator / self.denominator


@dataclass(slots=True)
class Table:
    rows: list[Measurement] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each row
    columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    starts: list[list[int]] = field(default_factory=list)  # where each field of each row starts

    def span(self, row: int, column: str) -> Span:
        """Where `column` of the `row`-th valid row is written."""
        index = self.columns.index(column) if column in self.columns else 0
        starts = self.starts[row]
        return Span.at(self.lines[row], starts[index] if index < len(starts) else 1)


def _field_columns(line: str) -> list[int]:
    """The 1-based column where each comma-separated field of `line` starts."""
    starts, quoted = [1], False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts


_NUMBER_FIELDS = {"numerator", "denominator", "value"}


def read_measurements(text: str) -> Table:
    """Rows and the problems of a measurements CSV; every problem has a line and column."""
    table = Table()
    # Lines as the CSV reader counts them: only \n ends one (not U+2028 in a cell).
    raw_lines = [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]
    # A cell may be as long as the file may be; Python's default cap is 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        table.problems.append(Problem("SK701", "measurements file is empty; it needs a header row",
                                      span=Span.at(1, 1)))
        return table
    header = [name.strip() for name in header]
    table.columns = header
    header_columns = _field_columns(raw_lines[0]) if raw_lines else [1]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        table.problems.append(Problem("SK701", "measurements header lacks column(s): " + ", ".join(missing),
                                      span=Span.at(1, 1)))
        return table
    if "value" not in header and not {"numerator", "denominator"} <= set(header):
        table.problems.append(Problem("SK701", "measurements need numerator and denominator columns, "
                                      "or a value column", span=Span.at(1, 1)))
        return table
    seen = {}
    for index, name in enumerate(header):
        if name in seen:
            table.problems.append(Problem("SK701", f"column `{name}` appears twice",
                                          span=Span.at(1, header_columns[min(index, len(header_columns) - 1)])))
        seen[name] = index
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            table.problems.append(Problem("SK702", f"unreadable CSV row: {error}", span=Span.at(reader.line_num, 1)))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        columns = _field_columns(raw_lines[line - 1]) if line - 1 < len(raw_lines) else [1]


        if len(cells) != len(header):
            table.problems.append(Problem("SK702", f"row has {len(cells)} fields; the header has {len(header)}",
                                          span=Span.at(line, 1)))
            continue
        record: dict[str, object] = {"attributes": {}}
        for name, cell in zip(header, cells):
            cell = cell.strip()
            if name in KNOWN_COLUMNS:
                if cell != "":
                    record[name] = cell
            else:
                record["attributes"][name] = cell  # type: ignore[index]
        try:
            row = Measurement.model_validate(record)
        except ValidationError as error:
            for detail in error.errors():
                name = str(detail["loc"][0]) if detail["loc"] else _culprit(record)
                table.problems.append(Problem("SK702", _row_message(name, detail, record),
                                              span=_cell_span(line, columns, cells, seen.get(name, 0))))
            continue
        table.rows.append(row)
        table.lines.append(line)
        table.starts.append(columns)
    return table


def _cell_span(line: int, columns: list[int], cells: list[str], index: int) -> Span:
    start = columns[index] if index < len(columns) else 1
    width = len(cells[index]) if index < len(cells) else 0
    return Span(line, start, line, start + max(width, 1))


def _culprit(record: dict[str, object]) -> str:
    """The column a whole-row problem is about: the empty half of a proportion, else the numerator."""
    if ("numerator" in record) != ("denominator" in record):
        return "denominator" if "numerator" in record else "numerator"
    return "numerator" if "numerator" in record else "value"


def _row_message(name: str, detail: dict, record: dict[str, object]) -> str:
    kind = detail["type"]
    given = str(record.get(name))
    given = given if len(given) <= 40 else given[:37] + "..."  # a message is one readable line
    if kind == "missing":
        return f"`{name}` is empty"
    if name == "period":
        return f"period `{given}` is not YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Wnn"
    if name == "outcome":
        return f"outcome `{given}` is not an id (lowercase letters, digits, hyphens)"
    if name == "value" and kind == "finite_number":
        return f"value `{given}` is not a finite number"
    if name in _NUMBER_FIELDS and kind in ("int_parsing", "float_parsing", "int_from_float"):
        return f"{name} `{given}` is not a {'whole ' if name != 'value' else ''}number"
    if name == "numerator" and kind == "greater_than_equal":
        return f"numerator `{given}` is negative"
    if name == "denominator" and kind == "greater_than":
        return f"denominator `{given}` must be above zero"
    message = str(detail["msg"]).removeprefix("Value error, ")
    return message
