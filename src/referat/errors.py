"""The errors `referat` raises for input a person can fix."""


class ReferatError(Exception):
    """Base class of every error caused by input to `referat` (text, files, corpora, models)."""


class EmptyTextError(ReferatError):
    """The text is empty or holds only whitespace."""


class DecodeError(ReferatError):
    """A file's bytes could not be read as text in any of the encodings tried."""


class NotTextError(ReferatError):
    """A file holds binary data, not text."""


class CorpusError(ReferatError):
    """An annotated corpus that cannot be read or does not follow the schema."""


class ModelError(ReferatError):
    """A pipeline that cannot be found or loaded."""
