"""Benchmark: every step of casuistry on a large corpus against the pandas floor.

For each corpus (``random``: seeded cases of 1-40 events, every kind, ten
silos and an actors table; ``synthetic``: the realistic timelines of
:func:`casuistry.synthesize`, scenario ``huiselijk_geweld`` by default), about
``--events`` events are written as ``events.csv`` + ``actors.csv`` in a
temporary folder, and measured in fresh processes:

- the floor as issue 14 defines it (read + parse + sort + group):
  ``pandas.read_csv`` + parsing the times (:func:`casuistry.timeaxis.parse_times`)
  + sorting by case and time + grouping by case (each row's case number,
  ``groupby(...).ngroup()``: the least a per-case analysis needs; about 5% of
  the floor);
- ``load`` (read + validate), ``analyse``, ``load + analyse``, and the peak
  memory of that process;
- ``casuistry analyse --json`` and ``casuistry validate``, end to end as commands
  (``python -m casuistry``, the program as its console script runs it);
- ``casuistry.report`` per case (CPU seconds, the first ``--report-cases`` cases
  of the large corpus, 20 by default: with 5, the figure of the same code moved
  from 0.22 to 0.31 s between runs);
- ``casuistry report`` end to end on a corpus of ``--pooled-cases`` cases of the
  same kind, with ``--jobs 1`` (CPU per case, target) and ``--jobs 2`` (wall
  clock and speed-up, reported);
- the cold start: first import + first analyse of the bundled example in a
  fresh process (reported, no target); and the compiled kernel's cold start:
  the same with ``engine="compiled"`` and an empty ``NUMBA_CACHE_DIR``, which
  is numba's first compile (reported, no target; ``analyse`` itself is
  measured with the kernel warm, as every run after the first finds it);
- the Dask engine with 1 and with 2 local workers on the converted Parquet
  dataset (conversion reported apart), and the speed-up: the least wall clock
  of ``--runs`` fresh clusters each, 1 and 2 workers taking turns;
- ``casuistry.export`` to OCEL 2.0 JSON and SQLite of the loaded corpus, each
  in a fresh process: CPU time against the floor and memory above the loaded
  casebook (reported, no target);
- one large case of each kind of issue 14 (:data:`LARGE_CASES`: 10,000
  actors in meetings of 30; 200,000 events with 5,000 signals), load +
  analyse in a fresh process, time and peak memory; and the same case at
  half its counts, for how time and memory grow with events x signals / 64
  (the work): as work to the power printed, close to linear when that power
  is at most :data:`LINEAR_ENOUGH` (memory: the peak above the process at
  rest, after its warm-up).

Each figure is printed with its target (issue 14) and ``ok`` / ``FAILED``;
ratios are against the floor measured in the same run. Floor, load, analyse
and the two commands are measured in ``--runs`` fresh processes (default 3)
and the least of each figure counts, the floor's as casuistry's: on a shared
machine a single run moved by about 0.4 s, enough to turn a verdict. Nothing
here is a test: wall-clock limits belong in this report, never in the test
suite.

Run: ``.venv/bin/python benchmarks/bench_analyse.py [--events N] [--corpus
random|synthetic|both|none] [--seed S] [--scenario NAME] [--runs R]
[--report-cases K] [--pooled-cases K] [--large-scale SCALE]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Targets of issue 14: (what, kind of figure, limit); ratios are against the floor.
TARGETS = {
    "load + analyse": 3.0,
    "analyse": 2.0,
    "analyse --json": 5.0,
    "validate": 3.0,
}
TARGET_MEMORY_GB = 2.0
TARGET_REPORT_CPU_S = 0.3
TARGET_DASK_SPEEDUP = 1.5

SILOS = (
    "onderwijs",
    "zorg",
    "jeugdhulp",
    "veilig_thuis",
    "gemeente",
    "politie",
    "justitie",
    "schuldhulp",
    "wonen",
    "buurt",
)
CATEGORIES = (
    "verzuim",
    "letsel",
    "huiselijk_geweld",
    "huurachterstand",
    "schulden",
    "psychische_problemen_ouder",
    "middelengebruik",
    "overlast",
)
BASES = ("avg-6.1.e", "meldcode", "toestemming", "jeugdwet-7.3.11-2", "wgs-vroegsignalering")
REASONS = ("privacy_uncertainty", "no_legal_basis", "no_consent", "not_relevant", "capacity")
KIND_WEIGHTS = {
    "signal": 30,
    "share": 18,
    "withhold": 8,
    "contact": 10,
    "meeting": 8,
    "action": 14,
    "incident": 2,
}
COLUMNS = (
    "case_id",
    "event_id",
    "time",
    "kind",
    "actor",
    "to",
    "signals",
    "category",
    "severity",
    "basis",
    "reason",
    "description",
    "source",
)
STYLES = ("date", "datetime")
DAY = 86_400


def generate(folder: Path, n_events: int, seed: int, *, day_numbers: float = 0.0):
    """Write a seeded corpus of about ``n_events`` events; return (events, cases).

    Cases use dates (85%) and date-times (15%); with ``day_numbers`` that
    share of the cases uses day numbers instead, which makes the corpus mix
    time styles (and the analysis tables' time columns ``object``).
    """
    rng = random.Random(seed)
    actors = [f"{silo}-{k}" for silo in SILOS for k in range(1, 5)]
    with open(folder / "actors.csv", "w", encoding="utf-8") as out:
        out.write("actor,silo,label\n")
        for name in actors:
            out.write(f"{name},{name.rsplit('-', 1)[0]},{name.replace('-', ' ')}\n")
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    written = cases = 0
    with open(folder / "events.csv", "w", encoding="utf-8") as out:
        out.write(",".join(COLUMNS) + "\n")
        while written < n_events:
            cases += 1
            n = min(rng.randint(1, 40), n_events - written)
            written += n
            style = "days" if rng.random() < day_numbers else rng.choices(STYLES, (85, 15))[0]
            out.writelines(_case_rows(rng, f"case-{cases}", n, style, actors, kinds, weights))
    return written, cases


def generate_synthetic(folder: Path, n_events: int, seed: int, scenario: str):
    """Write about ``n_events`` events of synthetic cases; return (events, cases)."""
    import casuistry

    per_case = len(casuistry.synthesize(scenario, 200, seed=seed).events) / 200
    corpus = casuistry.synthesize(scenario, max(1, round(n_events / per_case)), seed=seed)
    corpus.save(folder)
    return len(corpus.events), corpus.events["case_id"].nunique()


def _case_rows(rng, case_id, n, style, actors, kinds, weights):
    people = rng.sample(actors, rng.randint(2, 7))
    tick = rng.randint(0, 1500) * DAY + (1_600_000_000 // DAY) * DAY
    observed: list[str] = []
    rows = []
    for k in range(n):
        if k and rng.random() > 0.2:
            tick += rng.randint(1, 10) * DAY + (
                rng.randint(0, 23) * 3600 if style == "datetime" else 0
            )
        kind = "signal" if k == 0 else rng.choices(kinds, weights)[0]
        actor = rng.choice(people)
        to = listed = category = severity = basis = reason = ""
        if kind in ("share", "withhold", "contact", "meeting"):
            others = [p for p in people if p != actor]
            to = ";".join(rng.sample(others, min(len(others), rng.randint(1, 3))))
        if kind in ("share", "withhold", "meeting", "action") and observed and rng.random() < 0.5:
            listed = ";".join(rng.sample(observed, min(len(observed), rng.randint(1, 2))))
        if kind == "signal":
            category = rng.choice(CATEGORIES)
            severity = str(rng.randint(1, 5))
        elif kind == "share" and rng.random() < 0.7:
            basis = rng.choice(BASES)
        elif kind == "withhold" and rng.random() < 0.8:
            reason = rng.choice(REASONS)
        event_id = f"e{k + 1}"
        if kind == "signal":
            observed.append(event_id)
        rows.append(
            ",".join(
                (
                    case_id,
                    event_id,
                    _time(tick, style),
                    kind,
                    actor,
                    to,
                    listed,
                    category,
                    severity,
                    basis,
                    reason,
                    f"{kind} noted in the reconstruction",
                    f"dossier page {k + 1}",
                )
            )
            + "\n"
        )
    return rows


def _time(tick: int, style: str) -> str:
    if style == "days":
        return str(tick // DAY - 18_000)
    stamp = time.gmtime(tick)
    if style == "date":
        return time.strftime("%Y-%m-%d", stamp)
    return time.strftime("%Y-%m-%dT%H:%M", stamp)


def _best_of(repeat: int, work):
    """Run ``work`` ``repeat`` times; the least wall and CPU time, and the last result."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def measure(folder: Path, repeat: int, report_cases: int) -> dict:
    """In this (fresh) process: floor, load, analyse, peak memory, reports per case."""
    import pandas as pd

    import casuistry
    from casuistry.timeaxis import parse_times

    def floor():
        frame = pd.read_csv(folder / "events.csv")
        frame["ticks"] = parse_times(frame["time"])["ticks"]
        frame = frame.sort_values(["case_id", "ticks"], kind="stable")
        frame["case"] = frame.groupby("case_id", sort=False).ngroup()
        return frame

    _warm_up()
    floor_wall, floor_cpu = _best_of(repeat, floor)[:2]  # its frame let go: the peak is casuistry's
    load_wall, load_cpu, book = _best_of(repeat, lambda: casuistry.load(folder))
    analyse_wall, analyse_cpu, result = _best_of(
        repeat, lambda: casuistry.analyse(book, progress=False)
    )
    peak_gb = _peak_gb()
    cases = book.case_ids[:report_cases]
    with tempfile.TemporaryDirectory(prefix="casuistry-bench-report-") as out:
        casuistry.report(result, cases[0], Path(out) / "warm-up.html")  # imports, fonts
        _, report_cpu, _ = _best_of(
            1,
            lambda: [
                casuistry.report(result, c, Path(out) / f"{k}.html") for k, c in enumerate(cases)
            ],
        )
    return {
        "events": book.n_events,
        "cases": len(book),
        "signals": len(result.signals),
        "opportunities": len(result.opportunities),
        "floor": floor_wall,
        "floor_cpu": floor_cpu,
        "load": load_wall,
        "load_cpu": load_cpu,
        "analyse": analyse_wall,
        "analyse_cpu": analyse_cpu,
        "peak_gb": peak_gb,
        "report_cpu_per_case": report_cpu / max(1, len(cases)),
    }


def _peak_gb() -> float:
    """The most memory this process has held resident, in GB.

    Read as ``VmHWM`` (Linux), the process's own: ``ru_maxrss`` of a process
    that :mod:`subprocess` started counts the size of its parent at the start
    too (a child that held 9 MB gave 0.79 GB, its parent's size), and this
    bench's parent holds a generated corpus. ``ru_maxrss`` elsewhere.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _warm_up() -> None:
    """Import and run everything once on the bundled example, the compiled kernel too
    when numba is installed: the cold starts are measured apart."""
    import casuistry
    from casuistry.kernel import NUMBA

    book = casuistry.load(casuistry.example_path())
    casuistry.analyse(book, progress=False, engine="compiled" if NUMBA else "python")


def measure_dask(folder: Path, dataset: Path, runs: int) -> dict:
    """Convert to the Parquet dataset, then analyse on 1 and on 2 local workers,
    ``runs`` times each in a fresh cluster, taking turns; the least wall clock counts.
    The synthetic corpus keeps its reviewer's tables, as the other steps read it.
    """
    import casuistry
    from casuistry.scale.dask_engine import local_cluster
    from casuistry.scale.dataset import write_dataset

    start = time.perf_counter()
    write_dataset(folder, dataset)
    figures = {"convert": time.perf_counter() - start}
    walls = {1: [], 2: []}
    for n in [n for _ in range(runs) for n in walls]:  # taking turns: 1, 2, 1, 2, ...
        with local_cluster(n) as client:  # the cluster analyse_dask starts, started apart
            client.run(_warm_up)
            wall, _, _ = _best_of(
                1, lambda c=client: casuistry.analyse(dataset, engine="dask", scheduler=c)
            )
        walls[n].append(wall)
    figures.update({f"workers_{n}": min(times) for n, times in walls.items()})
    return figures


def measure_pooled(name: str, tmp: Path, args) -> dict:
    """``casuistry report`` end to end on ``--pooled-cases`` cases, with 1 and with 2 jobs."""
    folder = tmp / "pooled"
    folder.mkdir()
    per_case = 21  # about the events of a case of either corpus: 1-40 (random), ~21 (synthetic)
    if name == "synthetic":
        _, cases = generate_synthetic(
            folder, args.pooled_cases * per_case, args.seed, args.scenario
        )
    else:
        _, cases = generate(folder, args.pooled_cases * per_case, args.seed)
    figures = {"cases": cases}
    for jobs in (1, 2):
        out = tmp / f"reports-{jobs}"
        argv = [sys.executable, "-m", "casuistry", "report", str(folder), "-o", str(out)]
        figures[f"wall_{jobs}"], figures[f"cpu_{jobs}"] = _timed([*argv, "--jobs", str(jobs)])
    return figures


def _timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU time (user + system) of a fresh process, its output discarded;
    ``env`` adds to the environment."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=None if env is None else {**os.environ, **env},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _least(runs: list[dict]) -> dict:
    """The figures of several measuring processes: per time the least (the run the
    shared machine disturbed least), the peak memory the largest, counts as they are."""
    out = dict(runs[0])
    for key, value in out.items():
        if isinstance(value, float):
            pick = max if key == "peak_gb" else min
            out[key] = pick(run[key] for run in runs)
    return out


def _child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_corpus(name: str, args) -> bool:
    """Generate one corpus, measure every step, print the table; True when all targets hold."""
    with tempfile.TemporaryDirectory(prefix="casuistry-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        start = time.perf_counter()
        if name == "synthetic":
            n_events, n_cases = generate_synthetic(folder, args.events, args.seed, args.scenario)
            origin = f"synthetic scenario {args.scenario}"
        else:
            n_events, n_cases = generate(
                folder, args.events, args.seed, day_numbers=args.day_numbers
            )
            origin = "random cases"
        print(
            f"\n== {name} corpus: {n_events} events in {n_cases} cases ({origin}, seed "
            f"{args.seed}; written in {time.perf_counter() - start:.1f} s)"
        )
        runs = max(1, args.runs)
        f = _least(
            [
                _child(
                    "--measure",
                    str(folder),
                    "--repeat",
                    str(args.repeat),
                    "--report-cases",
                    str(args.report_cases),
                )
                for _ in range(runs)
            ]
        )
        cli = [sys.executable, "-m", "casuistry"]
        for what, argv in (
            ("analyse --json", [*cli, "analyse", str(folder), "--json"]),
            ("validate", [*cli, "validate", str(folder)]),
        ):
            walls, cpus = zip(*(_timed(argv) for _ in range(runs)), strict=True)
            f[what], f[what + "_cpu"] = min(walls), min(cpus)
        f["load + analyse"] = f["load"] + f["analyse"]
        f["load + analyse_cpu"] = f["load_cpu"] + f["analyse_cpu"]
        dask = _child(
            "--measure-dask",
            str(folder),
            "--dataset",
            str(Path(tmp) / "dataset"),
            "--runs",
            str(runs),
        )
        pooled = measure_pooled(name, Path(tmp), args)
        exports = {
            format: _child("--measure-export", str(folder), "--format", format)
            for format in ("ocel-json", "ocel-sqlite")
        }
    floor, floor_cpu = f["floor"], f["floor_cpu"]
    ok = True

    def line(what, seconds, verdict=""):
        print(f"  {what:<34}{seconds:8.2f} s  {verdict}")

    print(
        f"  signals {f['signals']}, opportunities {f['opportunities']}; each figure the least "
        f"of {runs} fresh processes, floor and casuistry alike (Dask: of {runs} fresh "
        "clusters each; the pooled reports: one); verdicts on CPU time against the floor's "
        "CPU time, which a busy machine does not distort (Dask: wall clock)"
    )
    line("floor: read + parse + sort + group", floor, f"(CPU {f['floor_cpu']:.2f} s)")
    for what in ("load", "analyse", "load + analyse", "analyse --json", "validate"):
        target = TARGETS.get(what)
        ratio = f[what + "_cpu"] / floor_cpu
        verdict = f"{f[what] / floor:5.1f}x floor; CPU {f[what + '_cpu']:7.2f} s {ratio:5.1f}x"
        if target is not None:
            passed = ratio <= target
            ok &= passed
            verdict += f"  target <= {target:g}x  {'ok' if passed else 'FAILED'}"
        line(what, f[what], verdict)
    passed = f["peak_gb"] < TARGET_MEMORY_GB
    ok &= passed
    print(
        f"  {'peak memory (load + analyse)':<34}{f['peak_gb']:8.2f} GB target < "
        f"{TARGET_MEMORY_GB:g} GB  {'ok' if passed else 'FAILED'}"
    )
    passed = f["report_cpu_per_case"] <= TARGET_REPORT_CPU_S
    ok &= passed
    line(
        f"report per case (CPU, {args.report_cases} cases)",
        f["report_cpu_per_case"],
        f"target <= {TARGET_REPORT_CPU_S:g} s  {'ok' if passed else 'FAILED'}",
    )
    passed = pooled["cpu_1"] / pooled["cases"] <= TARGET_REPORT_CPU_S
    ok &= passed
    line(
        f"report {pooled['cases']} cases, --jobs 1",
        pooled["wall_1"],
        f"CPU per case {pooled['cpu_1'] / pooled['cases']:.2f} s (load and analyse included)  "
        f"target <= {TARGET_REPORT_CPU_S:g} s  {'ok' if passed else 'FAILED'}",
    )
    line(
        f"report {pooled['cases']} cases, --jobs 2",
        pooled["wall_2"],
        f"speed-up {pooled['wall_1'] / pooled['wall_2']:.2f}; CPU per case "
        f"{pooled['cpu_2'] / pooled['cases']:.2f} s (workers included; reported)",
    )
    for format, e in exports.items():
        memory = "" if e["above_gb"] is None else f"; {e['above_gb']:.2f} GB above the casebook"
        line(
            f"export {format}",
            e["wall"],
            f"CPU {e['cpu']:7.2f} s {e['cpu'] / floor_cpu:5.1f}x floor{memory} (reported)",
        )
    line("dask: convert to Parquet dataset", dask["convert"])
    line("dask: 1 local worker", dask["workers_1"], f"{dask['workers_1'] / floor:5.1f}x floor")
    speedup = dask["workers_1"] / dask["workers_2"]
    passed = speedup >= TARGET_DASK_SPEEDUP
    ok &= passed
    line(
        "dask: 2 local workers",
        dask["workers_2"],
        f"speed-up {speedup:.2f}  target >= {TARGET_DASK_SPEEDUP:g}  "
        f"{'ok' if passed else 'FAILED'}",
    )
    return ok


# --- one large case --------------------------------------------------------------

#: The two large cases of issue 14, as (actors, signals, other events, their kinds by
#: weight, participants of a meeting, share of the others that list signals): many
#: actors in big meetings, and many events. The actors case's meetings list the
#: signals they discuss: a meeting that lists nothing pools all its 30 participants
#: know, and the knowledge table (one row per actor and signal known) of such a case
#: approaches actors x signals rows, 10^8 at this size.
LARGE_CASES = {
    "actors": (10_000, 10_000, 2_000, {"meeting": 1}, 30, 1.0),
    "events": (
        200,
        5_000,
        195_000,
        {"share": 18, "withhold": 8, "contact": 10, "meeting": 8, "action": 14},
        3,
        0.5,
    ),
}
#: Targets of issue 14 for the large cases: (CPU seconds of load + analyse, peak GB).
LARGE_TARGETS = {"actors": (None, 4.0), "events": (60.0, None)}
#: The largest power of the work that time and memory may grow by and still count
#: as close to linear (doubling the work then costs at most 2.3 times as much).
LINEAR_ENOUGH = 1.2


def generate_large(folder: Path, shape: str, seed: int, *, scale: float = 1.0) -> tuple[int, int]:
    """Write one large case of ``shape`` (a key of :data:`LARGE_CASES`), its counts
    of actors, signals and other events times ``scale``; return (events, signals)."""
    n_actors, n_signals, n_other, kinds, size, listing = LARGE_CASES[shape]
    if shape == "actors":
        n_actors = round(n_actors * scale)
    n_signals, n_other = round(n_signals * scale), round(n_other * scale)
    rng = random.Random(seed)
    per_silo = -(-n_actors // len(SILOS))
    actors = [f"{silo}-{k}" for k in range(1, per_silo + 1) for silo in SILOS][:n_actors]
    with open(folder / "actors.csv", "w", encoding="utf-8") as out:
        out.write("actor,silo\n")
        out.writelines(f"{name},{name.rsplit('-', 1)[0]}\n" for name in actors)
    is_signal = [True] * n_signals + [False] * n_other
    rng.shuffle(is_signal)
    is_signal[0] = True
    names, weights = list(kinds), list(kinds.values())
    tick = (1_600_000_000 // DAY) * DAY
    observed: list[str] = []
    with open(folder / "events.csv", "w", encoding="utf-8") as out:
        out.write(",".join(COLUMNS) + "\n")
        for k, signal in enumerate(is_signal):
            tick += rng.randint(0, 3) * 3600
            kind = "signal" if signal else rng.choices(names, weights)[0]
            actor = rng.choice(actors)
            to = listed = category = ""
            if kind in ("share", "withhold", "contact", "meeting"):
                others = [
                    a for a in rng.sample(actors, size if kind == "meeting" else 2) if a != actor
                ]
                to = ";".join(others if kind == "meeting" else others[:1])
            if kind in ("share", "withhold", "meeting", "action") and rng.random() < listing:
                listed = ";".join(rng.sample(observed, min(len(observed), rng.randint(1, 3))))
            if signal:
                category = rng.choice(CATEGORIES)
                observed.append(f"e{k + 1}")
            row = ("large", f"e{k + 1}", _time(tick, "datetime"), kind, actor, to, listed, category)
            out.write(",".join(row) + ",,,," + f"{kind} noted,\n")
    return len(is_signal), n_signals


def measure_large(folder: Path) -> dict:
    """In this (fresh) process: load + analyse of one case, CPU and wall time, peak memory."""
    import casuistry

    _warm_up()
    rest_gb = _peak_gb()
    wall, cpu = time.perf_counter(), time.process_time()
    result = casuistry.analyse(casuistry.load(folder), progress=False)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak_gb": _peak_gb(),
        "rest_gb": rest_gb,
        "knowledge": len(result.knowledge),
        "opportunities": len(result.opportunities),
    }


def measure_export(folder: Path, format: str) -> dict:
    """In this (fresh) process: load, then ``casuistry.export`` to ``format``; its CPU
    and wall time, and its peak memory above the loaded casebook."""
    import casuistry

    _warm_up()
    book = casuistry.load(folder)
    resting = _reset_peak()
    with tempfile.TemporaryDirectory(prefix="casuistry-bench-export-") as out:
        suffix = {"ocel-json": "jsonocel", "ocel-sqlite": "sqlite"}[format]
        wall, cpu = time.perf_counter(), time.process_time()
        casuistry.export(book, Path(out) / f"log.{suffix}", progress=False)
        return {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "above_gb": None if resting is None else _peak_gb() - resting,
        }


def _reset_peak() -> float | None:
    """Set this process's peak memory to what it holds now (Linux: ``clear_refs``);
    that, in GB, or None where it cannot be reset."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        with open("/proc/self/status", encoding="ascii") as status:
            held = next(line for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None
    return int(held.split()[1]) / 1024**2


def run_large(args) -> bool:
    """Generate each large case, and the same at half its counts, measure each in a fresh
    process, print them; True when all hold."""
    print(f"\n== one large case (scale {args.large_scale:g}; load + analyse in a fresh process)")
    ok = True
    for shape in LARGE_CASES:
        half, (n_events, n_signals, f) = (
            _large(shape, args.seed, scale) for scale in (args.large_scale / 2, args.large_scale)
        )
        n_actors = LARGE_CASES[shape][0] * (args.large_scale if shape == "actors" else 1)
        print(
            f"  {shape}: {round(n_actors)} actors, {n_events} events, {n_signals} signals "
            f"(events x signals / 64 = {n_events * n_signals / 64:.3g}), "
            f"{f['opportunities']} opportunities, {f['knowledge']} knowledge rows"
        )
        seconds, gigabytes = LARGE_TARGETS[shape]
        verdict = ""
        if seconds is not None:
            passed = f["cpu"] <= seconds
            ok &= passed
            verdict = f"target <= {seconds:g} s  {'ok' if passed else 'FAILED'}"
        print(f"    {'load + analyse':<32}{f['wall']:8.2f} s  CPU {f['cpu']:7.2f} s  {verdict}")
        verdict = ""
        if gigabytes is not None:
            passed = f["peak_gb"] < gigabytes
            ok &= passed
            verdict = f"target < {gigabytes:g} GB  {'ok' if passed else 'FAILED'}"
        print(f"    {'peak memory':<32}{f['peak_gb']:8.2f} GB {verdict}")
        passed, growth = _growth(half, (n_events, n_signals, f))
        ok &= passed
        print(f"    {'growth from half the counts':<32}{growth}")
    return ok


def _large(shape: str, seed: int, scale: float) -> tuple[int, int, dict]:
    """Events, signals and the figures of :func:`measure_large` of one large case."""
    with tempfile.TemporaryDirectory(prefix="casuistry-bench-large-") as tmp:
        n_events, n_signals = generate_large(Path(tmp), shape, seed, scale=scale)
        return n_events, n_signals, _child("--measure-large", tmp)


def _growth(smaller: tuple[int, int, dict], larger: tuple[int, int, dict]) -> tuple[bool, str]:
    """Whether CPU time and memory (the peak above the process at rest) grew from
    ``smaller`` to ``larger`` by at most the work (events x signals / 64) to the power
    :data:`LINEAR_ENOUGH`, and the line that says so."""
    work = (larger[0] * larger[1]) / max(1, smaller[0] * smaller[1])
    figures = {
        "CPU": (larger[2]["cpu"], smaller[2]["cpu"]),
        "memory": tuple(f["peak_gb"] - f["rest_gb"] for f in (larger[2], smaller[2])),
    }
    if work <= 1 or min(min(pair) for pair in figures.values()) <= 0:
        return True, "too small to tell (give a larger --large-scale)"
    powers = {name: math.log(big / small, work) for name, (big, small) in figures.items()}
    passed = all(power <= LINEAR_ENOUGH for power in powers.values())
    said = ", ".join(
        f"{name} x{big / small:.2f} (work^{powers[name]:.2f})"
        for name, (big, small) in figures.items()
    )
    verdict = f"target: work^{LINEAR_ENOUGH:g} at most  {'ok' if passed else 'FAILED'}"
    return passed, f"work x{work:.2f}: {said}  {verdict}"


def _kernel_cold_start() -> None:
    """Print the compiled kernel's cold start: numba's first compile, in a fresh process
    with an empty cache folder (never paid by make demo or make test: numba is the
    optional extra ``fast``)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        print("kernel cold start: numba not installed (pip install 'casuistry[fast]')")
        return
    cold = (
        "import casuistry; "
        "casuistry.analyse(casuistry.load(casuistry.example_path()), engine='compiled')"
    )
    with tempfile.TemporaryDirectory(prefix="casuistry-numba-cache-") as cache:
        wall, cpu = _timed([sys.executable, "-c", cold], env={"NUMBA_CACHE_DIR": cache})
    print(
        "kernel cold start (fresh process, empty NUMBA_CACHE_DIR: first compile + analyse "
        f"of the example): {wall:.2f} s (CPU {cpu:.2f} s; reported, no target)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="about how many events")
    parser.add_argument("--seed", type=int, default=20240401, help="seed of the corpus")
    parser.add_argument(
        "--corpus",
        choices=("random", "synthetic", "both", "none"),
        default="both",
        help="which corpus to measure (default both; none: the large cases only)",
    )
    parser.add_argument(
        "--scenario", default="huiselijk_geweld", help="scenario of the synthetic corpus"
    )
    parser.add_argument(
        "--day-numbers",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of random cases with day-number times, mixing styles (default 0)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of the in-process steps; best counts"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="fresh processes that measure floor, load, analyse and the two commands, "
        "and fresh clusters per number of Dask workers; the least of each figure counts "
        "(default 3)",
    )
    parser.add_argument(
        "--report-cases", type=int, default=20, help="cases to write reports of (default 20)"
    )
    parser.add_argument(
        "--pooled-cases",
        type=int,
        default=300,
        help="cases of the corpus that `casuistry report` writes end to end (default 300)",
    )
    parser.add_argument(
        "--large-scale",
        type=float,
        default=1.0,
        metavar="SCALE",
        help="size of the two large cases against issue 14's (default 1; 0 leaves them out)",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child processes
    parser.add_argument("--measure-large", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-dask", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-export", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, max(1, args.repeat), args.report_cases)))
        return 0
    if args.measure_large:
        print(json.dumps(measure_large(args.measure_large)))
        return 0
    if args.measure_export:
        print(json.dumps(measure_export(args.measure_export, args.format)))
        return 0
    if args.measure_dask:
        print(json.dumps(measure_dask(args.measure_dask, args.dataset, max(1, args.runs))))
        return 0
    cold = "import casuistry; casuistry.analyse(casuistry.load(casuistry.example_path()))"
    wall, cpu = _timed([sys.executable, "-c", cold])
    print(
        "cold start (fresh process: first import + first analyse of the example): "
        f"{wall:.2f} s (CPU {cpu:.2f} s; reported, no target)"
    )
    _kernel_cold_start()
    corpora = {"both": ("random", "synthetic"), "none": ()}.get(args.corpus, (args.corpus,))
    ok = all([run_corpus(name, args) for name in corpora])
    if args.large_scale > 0:
        ok &= run_large(args)
    print(f"\nevery target met: {'yes' if ok else 'no'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
