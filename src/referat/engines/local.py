"""The local engine: the per-file function (referat.engines.per_file) in this process, or in a
pool of worker processes forked from it (they inherit the loaded pipeline), records in input
order."""

from __future__ import annotations

from collections.abc import Iterator

from referat.engines.per_file import DEFAULT_MAX_SIZE_MB, analyse_path

_WORKER: dict = {}


def _ignore_interrupt() -> None:
    """In a worker, Ctrl-C is the parent's to handle: it stops the pool and says how to resume."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker(model, options: dict) -> None:
    from referat.api import load

    _ignore_interrupt()
    _WORKER["nlp"] = load(model)
    _WORKER["options"] = options


def _work(name: str) -> list[dict]:
    return analyse_path(_WORKER["nlp"], name, **_WORKER["options"])


def analyse_files_grouped(files: list[str], *, model=None, n_process: int = 1,
                          max_size_mb: float | None = DEFAULT_MAX_SIZE_MB, with_text: bool = False,
                          encoded: bool = False, spool: str | None = None) -> Iterator[list]:
    """The records of each file, one list per file, in input order (EncodedRecords with
    `encoded`: what a worker process sends back is then a record's JSON in pieces, or the file
    in `spool` that holds it; see referat.engines.per_file)."""
    from referat.api import load

    nlp = load(model)
    options = {"max_size_mb": max_size_mb, "with_text": with_text, "encoded": encoded, "spool": spool}
    if n_process > 1 and len(files) > 1:
        import multiprocessing

        _WORKER.update(nlp=nlp, options=options)  # forked workers inherit the loaded pipeline
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        forked = context.get_start_method() == "fork"
        with context.Pool(n_process, initializer=_ignore_interrupt if forked else _start_worker,
                          initargs=() if forked else (model, options)) as pool:
            yield from pool.imap(_work, files, chunksize=1)
        return
    from referat.api import release_zone

    try:
        for name in files:
            yield analyse_path(nlp, name, **options)
    finally:
        release_zone(nlp)  # the pipeline is the process's own again (see referat.api.hold_zone)
