"""The same pipeline on a Dask cluster: per-article stages as a map, line statistics as a reduce.

Nothing about cleaning changes: `batch.clean_folder` and `batch.export_folder` take a mapper,
and this module supplies one that runs the work on `dask.distributed` workers instead of local
processes. The cross-document line counts are counted per fixed chunk of the sorted input on
the workers (the map) and merged in chunk order (the reduce), then broadcast to every worker
once; the cleaned files, logs and TEI are written by this process in input order. So the output
is byte-identical to a local run, whatever the cluster.

Workers read the input paths themselves: they must see the same file system (a local cluster,
or a shared/network file system). Install with `pip install corpustools[dask]`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .batch import CleanOptions, ExportOptions, Mapper, Progress, RunSummary, clean_folder, export_folder
from .config import ProjectConfig
from .errors import CorpusToolsError

TASK_SIZE = 32  # articles per Dask task: big enough that scheduling costs little per article
IN_FLIGHT = 64  # tasks submitted ahead of the one being written: bounds the memory of results


class ClusterError(CorpusToolsError):
    """The Dask cluster could not be reached or started."""


@contextmanager
def connect(address: str, workers: int = 2, processes: bool = True) -> Iterator[Any]:
    """A Dask client: `local` starts a LocalCluster of `workers` workers, else a scheduler address.

    Examples of addresses: `tcp://10.0.0.5:8786`, `local`.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("Dask is not installed: pip install 'corpustools[dask]'") from None
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None)
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = Client(address, timeout="30s")
    except OSError as problem:
        raise ClusterError(f"cannot reach the Dask scheduler: {problem}", address) from None
    try:
        yield client
    finally:
        client.close()


def dask_mapper(client: Any, task_size: int = TASK_SIZE, in_flight: int = IN_FLIGHT) -> Mapper:
    """A batch mapper running on `client`: results come back in input order.

    Shared values (the line counts) are scattered to every worker once, not sent with each task.
    """

    def mapper(function: Callable[..., Any], items: Iterable[Any], **shared: Any) -> Iterator[Any]:
        scattered = {name: client.scatter(value, broadcast=True) for name, value in shared.items()}
        pending: deque[Any] = deque()
        for batch in _batches(list(items), task_size):
            pending.append(client.submit(_apply, function, batch, pure=False, **scattered))
            if len(pending) >= in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    return mapper


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _apply(function: Callable[..., Any], batch: Sequence[Any], **shared: Any) -> list[Any]:
    return [function(item, **shared) for item in batch]


def clean_folder_dask(
    client: Any,
    input_folder: Path,
    output_folder: Path,
    config: ProjectConfig | None = None,
    options: CleanOptions | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """`corpustools clean --dask`: the clean step with the work done on the cluster."""
    return clean_folder(input_folder, output_folder, config, options, progress, mapper=dask_mapper(client))


def export_folder_dask(
    client: Any,
    clean_folder_path: Path,
    output_folder: Path,
    config: ProjectConfig | None = None,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """`corpustools export --dask`: TEI built on the cluster, written here in order."""
    return export_folder(clean_folder_path, output_folder, config, options, progress, mapper=dask_mapper(client))
