"""Engines that run the per-file function (`per_file.analyse_path`) over many files: `local`
in this process or a pool of processes, `dask` on a Dask cluster."""
