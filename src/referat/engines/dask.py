"""The Dask engine: the same per-file function (`referat.batch.analyse_path`) on a Dask
cluster, a LocalCluster by default or a running scheduler given by its address.

Each worker process loads the pipeline once (a cached loader keyed by the model), files are
submitted a bounded number at a time, and the records of each file stream back to the one
writer as they complete (`as_completed`), so memory stays flat however many files there are.
Install with `python -m pip install "referat[dask]"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from referat.errors import ReferatError

#: files in flight per worker: enough to keep a worker busy, few enough to bound memory
IN_FLIGHT_PER_WORKER = 4


@lru_cache(maxsize=2)
def _pipeline(model: str | None):
    from referat.api import load

    return load(model)


def analyse_remote(name: str, model: str | None, max_size_mb: float | None, with_text: bool,
                   encoded: bool = False) -> list:
    """What a Dask worker runs for one file (the pipeline is loaded once per worker process)."""
    from referat.engines.per_file import analyse_path

    return analyse_path(_pipeline(model), name, max_size_mb=max_size_mb, with_text=with_text, encoded=encoded)


def _client(scheduler: str | None, n_workers: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ReferatError('the Dask engine needs distributed: python -m pip install "referat[dask]"') from error
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as error:
            raise ReferatError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
    import multiprocessing

    import dask

    # workers forked from this process start with spaCy imported and the pipeline loaded (see
    # analyse_files_dask), instead of importing and loading it again in fresh interpreters
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        cluster = LocalCluster(n_workers=max(1, n_workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
    return Client(cluster), cluster


def analyse_files_dask(files: list[str], *, model=None, scheduler: str | None = None, n_workers: int = 2,
                       max_size_mb: float | None = 50.0, with_text: bool = False,
                       encoded: bool = False) -> Iterator[list]:
    """The records of each file, one list per file, in the order they complete (EncodedRecords
    with `encoded`, see referat.engines.per_file)."""
    if not files:
        return
    from distributed import as_completed

    from referat.api import load

    load(model)  # a bad model fails here, before any work is sent out
    model_name = None if model is None else str(model)
    client, cluster = _client(scheduler, n_workers)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)
        window = workers * IN_FLIGHT_PER_WORKER
        pending = iter(files)
        futures = as_completed()
        for name in pending:
            futures.add(client.submit(analyse_remote, name, model_name, max_size_mb, with_text, encoded, pure=False))
            if futures.count() >= window:
                break
        for future in futures:
            yield future.result()
            future.release()
            name = next(pending, None)
            if name is not None:
                futures.add(client.submit(analyse_remote, name, model_name, max_size_mb, with_text, encoded, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
