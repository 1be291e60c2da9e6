"""A searchable archive of analysed minutes: one SQLite file (FTS5 search, cases across
committees), documented in docs/archive.md.

    >>> from referat.archive import index_paths, search, case_timeline
    >>> index_paths(["minutes/"], "archive.sqlite")
    >>> search("archive.sqlite", "engvej skole", since="2023-01-01")
    >>> case_timeline("archive.sqlite", "Sagsnr. 23/4567")
"""

from referat.archive.cases import case_timeline, normalise_case, title_key
from referat.archive.export import export_parquet
from referat.archive.index import IndexSummary, index_paths
from referat.archive.schema import SCHEMA_VERSION, ArchiveError, fold, open_archive
from referat.archive.search import search
from referat.archive.store import write_document

__all__ = ["index_paths", "IndexSummary", "search", "case_timeline", "normalise_case", "title_key",
           "export_parquet", "open_archive", "write_document", "fold", "ArchiveError", "SCHEMA_VERSION"]
