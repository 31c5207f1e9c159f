"""Benchmark: analysing a corpus against pandas reading the same events.

Generates a seeded corpus (by default about one million events in about
50,000 cases of 1-40 events, every kind, ten silos, an actors table) as
``events.csv`` + ``actors.csv`` in a temporary folder, then measures in one
fresh process:

(a) the floor: ``pandas.read_csv`` + parsing the times
    (:func:`casuistry.timeaxis.parse_times`) + sorting by case and time;
(b) :func:`casuistry.load` (reading and full validation), reported apart;
(c) :func:`casuistry.analyse`, every figure including every counterfactual.

It prints the times, the ratio (c)/(a) (target: at most 5) and the peak
memory of the measuring process (target: under 4 GB).

With ``--scenario NAME`` the corpus comes from :func:`casuistry.synthesize`
instead (the realistic timelines of one of the five scenarios, about 21 events
a case), so the synthetic corpus feeds the benchmark too.

Run: ``.venv/bin/python benchmarks/bench_analyse.py [--events N] [--seed S]
[--scenario NAME]``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 5.0
TARGET_MEMORY_GB = 4.0

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


def measure(folder: Path, repeat: int) -> dict:
    """Time the floor, load and analyse on the corpus in ``folder`` (this process)."""
    import pandas as pd

    import casuistry
    from casuistry.timeaxis import parse_times

    def floor():
        frame = pd.read_csv(folder / "events.csv")
        frame["ticks"] = parse_times(frame["time"])["ticks"]
        return frame.sort_values(["case_id", "ticks"], kind="stable")

    read_wall, _, _ = _best_of(repeat, lambda: pd.read_csv(folder / "events.csv"))
    floor_wall, floor_cpu, _ = _best_of(repeat, floor)
    load_wall, _, book = _best_of(1, lambda: casuistry.load(folder))
    analyse_wall, analyse_cpu, result = _best_of(
        repeat, lambda: casuistry.analyse(book, progress=False)
    )
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "events": book.n_events,
        "cases": len(book),
        "signals": len(result.signals),
        "opportunities": len(result.opportunities),
        "knowledge_rows": len(result.knowledge),
        "read_csv_s": read_wall,
        "floor_s": floor_wall,
        "floor_cpu_s": floor_cpu,
        "load_s": load_wall,
        "analyse_s": analyse_wall,
        "analyse_cpu_s": analyse_cpu,
        "ratio": analyse_wall / floor_wall,
        "cpu_ratio": analyse_cpu / floor_cpu,
        "peak_gb": peak_kb / 1024**2,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="about how many events")
    parser.add_argument("--seed", type=int, default=20240401, help="seed of the corpus")
    parser.add_argument(
        "--day-numbers",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of cases with day-number times, mixing styles in the corpus (default 0)",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of the floor and of analyse; best counts"
    )
    parser.add_argument(
        "--scenario", help="take the corpus from casuistry.synthesize with this scenario"
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, max(1, args.repeat))))
        return 0
    with tempfile.TemporaryDirectory(prefix="casuistry-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        if args.scenario:
            n_events, n_cases = generate_synthetic(folder, args.events, args.seed, args.scenario)
            origin = f"synthetic scenario {args.scenario}"
        else:
            n_events, n_cases = generate(
                folder, args.events, args.seed, day_numbers=args.day_numbers
            )
            origin = f"random cases, {args.day_numbers:.0%} with day numbers"
        print(
            f"corpus: {n_events} events in {n_cases} cases ({origin}, seed {args.seed}, "
            f"generated and written in {time.perf_counter() - start:.1f} s)"
        )
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(folder), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"signals {figures['signals']}, opportunities {figures['opportunities']}, "
        f"knowledge rows {figures['knowledge_rows']}"
    )
    print(f"best of {args.repeat} runs, wall clock (CPU time of the process):")
    print(
        f"(a) floor: read_csv + parse times + sort  {figures['floor_s']:7.2f} s "
        f"({figures['floor_cpu_s']:.2f} s); read_csv alone {figures['read_csv_s']:.2f} s"
    )
    print(f"(b) casuistry.load (read + validate)     {figures['load_s']:7.2f} s")
    print(
        f"(c) casuistry.analyse (every figure)     {figures['analyse_s']:7.2f} s "
        f"({figures['analyse_cpu_s']:.2f} s)"
    )
    ok_ratio = figures["ratio"] <= TARGET_RATIO
    ok_memory = figures["peak_gb"] < TARGET_MEMORY_GB
    # The targets are set for the random corpus of the issue; a synthetic
    # corpus is a second, denser workload (more opportunities per event),
    # reported for comparison without a verdict.
    verdict = (lambda ok: "") if args.scenario else (lambda ok: " ok" if ok else " MISSED")
    print(
        f"ratio (c)/(a): {figures['ratio']:.2f} (CPU {figures['cpu_ratio']:.2f}; "
        f"target <= {TARGET_RATIO:g} for the random corpus){verdict(ok_ratio)}"
    )
    print(
        f"peak memory of the measuring process: {figures['peak_gb']:.2f} GB "
        f"(target < {TARGET_MEMORY_GB:g} GB){verdict(ok_memory)}"
    )
    if args.scenario:
        per_event = figures["opportunities"] / figures["events"]
        print(f"(synthetic corpus, for comparison: {per_event:.2f} opportunities per event)")
        return 0
    return 0 if ok_ratio and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())
