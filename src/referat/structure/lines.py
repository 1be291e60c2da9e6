"""A minutes text as lines with their offsets: the unit every structure rule reads."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import NamedTuple

BLANKS = " \t\u00a0\u2007\u202f\ufeff\r\n\x0c\x0b"


class Line(NamedTuple):
    """One line of the text: `start` is the offset of its first character, `text` is the
    line without its line break, and `indent` is the offset of its first non-blank character."""

    index: int
    start: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip(BLANKS)

    @property
    def indent(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip(BLANKS)))

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class Lines(Sequence):
    """The lines of a text, made as they are read: the text and where each line starts (8 bytes
    a line), not a million Line objects and a copy of the text in them (a 50 MB text of a
    million lines took 270 MB as a list)."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str):
        self.text = text
        starts = array("q", [0])
        find, position = text.find, text.find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts)

    def _line(self, index: int) -> Line:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return Line(index, start, self.text[start:end].rstrip("\r"))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._line(i) for i in range(*index.indices(len(self.starts)))]
        if index < 0:
            index += len(self.starts)
        if not 0 <= index < len(self.starts):
            raise IndexError("line index out of range")
        return self._line(index)

    def __iter__(self):
        for index in range(len(self.starts)):
            yield self._line(index)


#: texts longer than this (in characters) have their lines made as they are read
LAZY_ABOVE = 1_000_000


def split_lines(text: str) -> Sequence[Line]:
    """Split on '\\n' only (so offsets match the text exactly), dropping each '\\r'. The
    parser reads the lines a dozen times, twice as fast when they are made once: a text up to
    LAZY_ABOVE characters gets them as a list (some 240 bytes a line), a longer one as Lines."""
    lines = Lines(text)
    return lines if len(text) > LAZY_ABOVE else list(lines)
