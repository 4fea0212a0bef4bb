"""Benchmark: clean, export, validate and end to end on a synthetic corpus, next to trafilatura.

    python benchmarks/bench.py                       # 1000 articles, RAM and disk, 1 and 2 processes
    python benchmarks/bench.py --articles 10000 --where ram --jobs 1,2
    python benchmarks/bench.py --articles 200 --where ram --jobs 1 --trafilatura 50   # smoke run (CI)

Each stage runs as its own `corpustools` command in a fresh process, so its peak memory (the
RSS high-water mark of the process and the workers it waited for, from wait4) is its own and
includes loading the rules and schemas. Figures:

- articles/s and input MB/s per core: input bytes of the raw articles over the wall time of
  the stage, divided by the number of processes;
- end to end: clean + export (the TEI written to the folder under test);
- CPU s and MB/CPU-s: user + system time of the command and its workers; unlike wall time it
  hardly moves when other programs share the machine;
- trafilatura: `trafilatura.extract(html, output_format="xmltei")` on the same texts wrapped
  as simple HTML (one <p> per line), in this process, on the first `--trafilatura` articles,
  timed in CPU seconds; the ratios compare corpustools end to end (per core of wall time, and
  per CPU second) with it;
- jusText: `justext.justext` on the same pages (English stop words), in CPU seconds, with the
  ratio per CPU second. (datatrove's C4 filter is not measured: datatrove is not a dependency.)
- `--dask N`: clean and export also run on a Dask LocalCluster of N worker processes
  (`--dask local --jobs N`), reported beside `--jobs N` (wall time ratio), and their TEI is
  compared with the local run's byte for byte (the cluster path must not change the output).
  CPU seconds of a Dask run count the worker processes only if the cluster's nannies reap
  them before the command exits, so its MB/CPU-s is a lower bound on its cost.

The synthetic corpus comes from corpustools.synth, so the same arguments give the same input.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpustools.synth import write_corpus

RAM_FOLDER = Path("/dev/shm")
STAGES = ("clean", "export", "validate")


@dataclass
class Measure:
    stage: str
    where: str
    jobs: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    ok: bool

    def rate(self, articles: int, megabytes: float) -> tuple[float, float]:
        return articles / self.seconds, megabytes / self.seconds / self.jobs


def run_stage(command: list[str]) -> tuple[float, float, float, bool]:
    """Wall seconds, CPU seconds (with its workers), peak RSS (MB) and success of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode != 0:
        print(f"  ! {' '.join(command[1:3])} exited {process.returncode}: {errors.strip()[:300]}", file=sys.stderr)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode == 0


def corpustools_command(*arguments: str) -> list[str]:
    return [sys.executable, "-c", "from corpustools.cli import main; main()", *arguments]


def bench_folder(
    raw: Path, work: Path, where: str, jobs: int, incremental: bool, stages: Sequence[str] = STAGES, dask: bool = False
) -> list[Measure]:
    """Each stage as its own command; with `dask`, clean and export on a LocalCluster of `jobs` workers."""
    suffix = f"dask-{jobs}" if dask else str(jobs)
    clean, tei = work / f"clean-{suffix}", work / f"tei-{suffix}"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.rmtree(tei, ignore_errors=True)
    flags = ["--quiet", "--jobs", str(jobs)]
    cluster = ["--dask", "local"] if dask else []
    label = " (dask local)" if dask else ""
    measures = []
    for stage, command in (
        ("clean", corpustools_command("clean", str(raw), "-o", str(clean), *flags, *cluster)),
        ("export", corpustools_command("export", str(clean), "-o", str(tei), *flags, *cluster)),
        ("validate", corpustools_command("validate", str(tei), *flags)),
    ):
        if stage not in stages or (dask and stage == "validate"):
            continue
        seconds, cpu, peak, ok = run_stage(command)
        measures.append(Measure(stage + label, where, jobs, seconds, cpu, peak, ok))
    if incremental:
        seconds, cpu, peak, ok = run_stage(corpustools_command("clean", str(raw), "-o", str(clean), *flags))
        measures.append(Measure("clean (unchanged, again)", where, jobs, seconds, cpu, peak, ok))
    return measures


def trafilatura_rate(raw: Path, count: int) -> tuple[int, float, float] | None:
    """(articles, MB, seconds) of trafilatura's xmltei extraction of the first `count` articles."""
    try:
        import trafilatura
    except ImportError:
        return None
    paths = sorted(raw.rglob("*.txt"))[:count]
    pages = []
    megabytes = 0.0
    for path in paths:
        data = path.read_bytes()
        megabytes += len(data) / 1e6
        body = "\n".join(f"<p>{html.escape(line)}</p>" for line in data.decode("utf-8").split("\n") if line.strip())
        pages.append(f"<html><head><title>{html.escape(path.stem)}</title></head><body>\n{body}\n</body></html>")
    trafilatura.extract(pages[0], output_format="xmltei")  # warm-up: imports and caches
    start = time.process_time()
    for page in pages:
        trafilatura.extract(page, output_format="xmltei")
    return len(pages), megabytes, time.process_time() - start


def justext_rate(raw: Path, count: int) -> tuple[int, float, float] | None:
    """(articles, MB, CPU seconds) of jusText's paragraph classification of the same pages as
    trafilatura gets (English stop words for all: jusText needs one list per call)."""
    try:
        import justext
    except ImportError:
        return None
    paths = sorted(raw.rglob("*.txt"))[:count]
    pages, megabytes = [], 0.0
    for path in paths:
        data = path.read_bytes()
        megabytes += len(data) / 1e6
        body = "\n".join(f"<p>{html.escape(line)}</p>" for line in data.decode("utf-8").split("\n") if line.strip())
        pages.append(f"<html><body>\n{body}\n</body></html>".encode())
    stoplist = justext.get_stoplist("English")
    justext.justext(pages[0], stoplist)
    start = time.process_time()
    for page in pages:
        justext.justext(page, stoplist)
    return len(pages), megabytes, time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--where", default="ram,disk", help="ram, disk or both (default ram,disk)")
    parser.add_argument("--disk", type=Path, default=Path(tempfile.gettempdir()), help="folder on disk (default: the temp folder)")
    parser.add_argument("--jobs", default="1,2", help="process counts to compare (default 1,2)")
    parser.add_argument("--trafilatura", type=int, default=300, help="articles for trafilatura (0: skip)")
    parser.add_argument("--stages", default=",".join(STAGES), help="stages to run (default clean,export,validate)")
    parser.add_argument("--incremental", action="store_true", help="also time a second clean of the unchanged input")
    parser.add_argument("--keep", action="store_true", help="keep the work folders")
    parser.add_argument("--dask", type=int, default=0, help="also run clean and export on a Dask LocalCluster of N workers (0: skip)")
    args = parser.parse_args()
    job_counts = [int(value) for value in args.jobs.split(",")]
    places = {"ram": RAM_FOLDER, "disk": args.disk}
    measures: list[Measure] = []
    megabytes = 0.0
    traf: tuple[int, float, float] | None = None
    peers: dict[str, tuple[int, float, float] | None] = {}
    for where in args.where.split(","):
        if where == "ram" and not RAM_FOLDER.is_dir():
            print("no /dev/shm here: skipping the RAM-backed run", file=sys.stderr)
            continue
        work = Path(tempfile.mkdtemp(prefix="corpustools-bench-", dir=places[where]))
        try:
            start = time.perf_counter()
            summary = write_corpus(work / "raw", args.articles, args.seed, jobs=max(job_counts))
            megabytes = summary.bytes / 1e6
            print(f"{where}: {work} ({_filesystem(work)}): {summary.articles} articles, {megabytes:.1f} MB, made in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
            for jobs in job_counts:
                measures.extend(bench_folder(work / "raw", work, where, jobs, args.incremental, args.stages.split(",")))
            if args.dask:
                measures.extend(dask_run(work, where, args.dask, args.stages.split(",")))
            if args.trafilatura and traf is None:
                traf = trafilatura_rate(work / "raw", args.trafilatura)
                peers["jusText"] = justext_rate(work / "raw", args.trafilatura)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    print(report(measures, args.articles, megabytes, traf))
    print(peer_report(measures, megabytes, peers))
    return 0 if all(measure.ok for measure in measures) else 1


def dask_run(work: Path, where: str, workers: int, stages: Sequence[str]) -> list[Measure]:
    """Clean and export on a LocalCluster, and the check that its TEI is the local run's, byte for byte."""
    measures = bench_folder(work / "raw", work, where, workers, False, stages, dask=True)
    local = work / f"tei-{workers}"
    if not local.is_dir():
        measures.extend(bench_folder(work / "raw", work, where, workers, False, ("clean", "export")))
    cluster = work / f"tei-dask-{workers}"
    names = sorted(path.name for path in local.glob("*.xml"))
    same = names == sorted(path.name for path in cluster.glob("*.xml")) and all(
        (local / name).read_bytes() == (cluster / name).read_bytes() for name in names
    )
    print(f"dask local ({workers} workers): TEI {'byte-identical to' if same else 'DIFFERS from'} --jobs {workers} ({len(names)} files)")
    if not same:
        measures.append(Measure("dask output identical", where, workers, 0.0, 0.0, 0.0, False))
    return measures


def _filesystem(folder: Path) -> str:
    try:
        output = subprocess.run(["df", "--output=fstype", str(folder)], capture_output=True, text=True, check=True).stdout
        return output.split()[-1]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown file system"


def peer_report(measures: list[Measure], megabytes: float, peers: dict[str, tuple[int, float, float] | None]) -> str:
    """Each other peer's MB per CPU second, and corpustools end to end (1 job) against it."""
    cpu = {(m.stage, m.where): m.cpu_seconds for m in measures if m.jobs == 1}
    lines = []
    for name, rate in peers.items():
        if rate is None:
            lines.append(f"{name}: not installed")
            continue
        count, peer_mb, seconds = rate
        lines.append(f"{name} (1 process, {count} of the same articles as simple HTML): {peer_mb / seconds:.2f} MB/CPU-s")
        for where in sorted({where for _stage, where in cpu}):
            if ("clean", where) in cpu and ("export", where) in cpu:
                ours = megabytes / (cpu[("clean", where)] + cpu[("export", where)])
                lines.append(f"corpustools end to end / {name} ({where}, 1 job): {ours / (peer_mb / seconds):.1f}x per CPU second")
    return "\n".join(lines)


def report(measures: list[Measure], articles: int, megabytes: float, traf: tuple[int, float, float] | None) -> str:
    lines = [
        f"corpus: {articles} synthetic articles, {megabytes:.1f} MB ({megabytes * 1e3 / max(articles, 1):.1f} KB mean); {os.cpu_count()} cores",
        "",
        f"{'stage':<28}{'folder':<7}{'jobs':>5}{'seconds':>10}{'articles/s':>12}{'MB/s/core':>11}{'CPU s':>8}{'MB/CPU-s':>10}{'peak MB':>9}",
    ]
    by_key: dict[tuple[str, str, int], Measure] = {}
    for measure in measures:
        by_key[(measure.stage, measure.where, measure.jobs)] = measure
        rate, per_core = measure.rate(articles, megabytes)
        flag = "" if measure.ok else "  (failed)"
        lines.append(f"{measure.stage:<28}{measure.where:<7}{measure.jobs:>5}{measure.seconds:>10.2f}{rate:>12.1f}{per_core:>11.2f}{measure.cpu_seconds:>8.1f}{megabytes / measure.cpu_seconds:>10.2f}{measure.peak_mb:>9.0f}{flag}")
    end_to_end: dict[tuple[str, int], float] = {}
    end_to_end_cpu: dict[tuple[str, int], float] = {}
    for (stage, where, jobs), clean in by_key.items():
        if stage != "clean" or (("export", where, jobs) not in by_key):
            continue
        export = by_key[("export", where, jobs)]
        seconds = clean.seconds + export.seconds
        cpu = clean.cpu_seconds + export.cpu_seconds
        end_to_end[(where, jobs)] = seconds
        end_to_end_cpu[(where, jobs)] = cpu
        peak = max(clean.peak_mb, export.peak_mb)
        lines.append(f"{'end to end (clean+export)':<28}{where:<7}{jobs:>5}{seconds:>10.2f}{articles / seconds:>12.1f}{megabytes / seconds / jobs:>11.2f}{cpu:>8.1f}{megabytes / cpu:>10.2f}{peak:>9.0f}")
    lines.append("")
    for where in sorted({where for where, _jobs in end_to_end}):
        jobs_here = sorted(jobs for place, jobs in end_to_end if place == where)
        if len(jobs_here) > 1:
            one, most = jobs_here[0], jobs_here[-1]
            speedup = end_to_end[(where, one)] / end_to_end[(where, most)]
            lines.append(f"speed-up, end to end, {most} processes over {one} ({where}): {speedup:.2f}x")
    for (stage, where, jobs), dask_clean in by_key.items():
        dask_export = by_key.get(("export (dask local)", where, jobs))
        local_clean, local_export = by_key.get(("clean", where, jobs)), by_key.get(("export", where, jobs))
        if stage == "clean (dask local)" and dask_export and local_clean and local_export:
            ratio = (local_clean.seconds + local_export.seconds) / (dask_clean.seconds + dask_export.seconds)
            lines.append(f"dask local / --jobs {jobs}, end to end wall time ({where}): {ratio:.2f}x (above 1: the cluster is faster)")
    if traf is not None:
        count, traf_mb, seconds = traf
        lines.append(f"trafilatura xmltei (1 process, {count} of the same articles as simple HTML): {count / seconds:.1f} articles/CPU-s, {traf_mb / seconds:.2f} MB/CPU-s")
        for (where, jobs), seconds_e2e in sorted(end_to_end.items()):
            ratio = (megabytes / seconds_e2e / jobs) / (traf_mb / seconds)
            cpu_ratio = (megabytes / end_to_end_cpu[(where, jobs)]) / (traf_mb / seconds)
            lines.append(f"corpustools end to end / trafilatura ({where}, {jobs} jobs): {ratio:.1f}x per core (wall), {cpu_ratio:.1f}x per CPU second")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
