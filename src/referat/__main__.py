"""The `referat` command (also `python -m referat`).

The command runs one BLAS thread per process unless OPENBLAS_NUM_THREADS (or
OMP_NUM_THREADS) is set: the pipeline's matrices are small, so a second BLAS thread only
spins, and `referat batch --n-process N` runs N processes. Measured here: about 10% faster on
one core, and the workers of `--n-process 2` no longer slow each other down. It must be set
before numpy is loaded, which is why it happens here, before the CLI is imported. The library
(`import referat`) leaves the environment alone.
"""

import os


def main() -> None:
    if "OPENBLAS_NUM_THREADS" not in os.environ and "OMP_NUM_THREADS" not in os.environ:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    from referat.cli.app import app

    app()


if __name__ == "__main__":
    main()
