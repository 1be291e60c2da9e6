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


class UnsupportedFormatError(NotTextError):
    """Bytes in none of the formats `referat.io` reads (an image, an archive, random binary)."""


class ScannedPDFError(ReferatError):
    """A PDF without a text layer (a scan): it needs OCR before referat can read it."""


class InputFileError(ReferatError):
    """A path that cannot be read: missing, a folder, no permission, a symlink loop."""


class BrokenFileError(ReferatError):
    """A file whose format was recognised but whose content is damaged or encrypted."""
