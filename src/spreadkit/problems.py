"""Problems found in a file, as values: the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based region of a file."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def at(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column)


FILE_START = Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file.

    `pointer` is a JSON Pointer into the document; `span` is set when the place is
    known without the document (a syntax error, say) and then wins over `pointer`.
    `on_key` asks for the position of the key at `pointer` rather than its value.
    """

    code: str
    message: str
    pointer: str = ""
    span: Span | None = None
    on_key: bool = False


def pointer_from(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """The JSON Pointer (RFC 6901) for a path of keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def pointer_parts(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]
