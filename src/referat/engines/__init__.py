"""Engines that run `referat.batch.analyse_path` over many files: the local one lives in
referat.batch (this process or a pool of processes); `dask` runs it on a Dask cluster."""
