"""The bundled synthetic cases in ``data/synthetic/``: one small case per scenario.

Run ``python -m casuistry.synthetic.bundled data/synthetic`` (or ``make data``)
to rebuild them; the output is the same byte for byte every time. Each folder
holds the case (``events.csv``, ``actors.csv``), the reviewer's tables
(``sources.csv``, ``episodes.csv``, ``factors.csv``, ``findings.csv``), the planted truth
(``truth_signals.csv``, ``truth_opportunities.csv``, ``truth_cases.csv``) and a
``README.md`` with the command and seed that made it, and the ``.casuistry``
record of these files (so that ``make data`` may replace the folder; see
:mod:`casuistry.io.atomic`).

The seeds were chosen once, by reading, for cases a person can follow: twenty
to thirty-five events, signals of three or more silos, a case table, and both
missed and harmless opportunities; ``huiselijk_geweld``'s also for Veilig Thuis
taking part, so that the case shows whether signals reached those who decide.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> paths = write_bundled(folder, scenarios=["huiselijk_geweld"])
>>> sorted(p.name for p in (folder / "huiselijk_geweld").iterdir())[:5]
['.casuistry', 'README.md', 'actors.csv', 'episodes.csv', 'events.csv']
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from casuistry.io.atomic import write_text
from casuistry.synthetic.generator import synthesize
from casuistry.synthetic.result import Synthetic
from casuistry.synthetic.scenarios import SCENARIOS

#: The seed of the bundled case of every scenario (default knobs, one case).
SEEDS: dict[str, int] = {
    "jeugdbescherming": 39,
    "huiselijk_geweld": 23,
    "ondermijning": 47,
    "publiek_privaat": 172,
    "douane_kustwacht": 360,
}

_OUTCOMES = {
    "table": "the signals came together at a case table and the case ran on without incident",
    "table_then_incident": "the signals came together at a case table, and still an incident "
    "ended the case",
    "incident_before_table": "an incident ended the case before the signals came together",
    "no_table": "the signals never came together",
}
_ROUTES = {
    "overleg": "{actor} convened a case meeting with {to}",
    "melding": "{actor} shared everything it knew with {to}, which held signals of its own",
    "radar": "{actor} reported to {to}, which already had reports from another silo",
}


def command(scenario: str, folder: str) -> str:
    """The ``casuistry synth`` command that writes a bundled case."""
    return f"casuistry synth --scenario {scenario} --cases 1 --seed {SEEDS[scenario]} -o {folder}"


def readme(synth: Synthetic, folder: str) -> str:
    """The README of a bundled case: what it is, how it was made, what the truth says."""
    scenario = SCENARIOS[synth.scenario]
    case = synth.truth_cases.iloc[0]
    truth = synth.truth
    opportunities = synth.truth_opportunities
    missed = opportunities[opportunities["missed"]]
    silos = ", ".join(sorted(truth["silo"].unique()))
    lines = [
        f"# {scenario.title}",
        "",
        f"A synthetic case ({case['case_id']}) of the scenario `{scenario.name}`. {scenario.story}",
        "",
        "Everything here is made up by the generator: organisations are roles, people are "
        "roles (`kind-1`, `moeder`, `bewoner`, `schipper`), and no text holds an identifier.",
        "",
        "## How it was made",
        "",
        "```",
        command(synth.scenario, folder),
        "```",
        "",
        f"Seed {synth.seed}, default knobs. `make data` rebuilds every bundled case from "
        "these commands; the files come out the same byte for byte.",
        "",
        "## Files",
        "",
        "- `events.csv`, `actors.csv`: the case in the case format (docs/case_format.md); "
        "`actors.decides` marks who decides on protection or intervention.",
        "- `sources.csv`, `episodes.csv`, `factors.csv`, `findings.csv`: the reviewer's "
        "layer (section 5): every source with its type and reliability, the key practice "
        "episodes with their contributory factors, and the findings with their questions.",
        "- `truth_signals.csv`: per signal, when it converged and by which event, as the "
        "generator planned it (empty when it stayed in its silo up to the horizon), and "
        "when it reached an actor that decides (empty when it did not).",
        "- `truth_opportunities.csv`: every withhold, contact and meeting listing signals, "
        "whether it was a missed opportunity, and the shape it was planted in.",
        "- `truth_cases.csv`: the outcome and the planned table.",
        "",
        "## What the generator planted",
        "",
        f"- {case['signals']} signals from the silos {silos}; {case['converged']} of them "
        f"converged by the horizon ({case['horizon']}).",
        f"- Outcome: {_OUTCOMES[case['outcome']]}.",
    ]
    if pd.notna(case["table_by"]):
        event = synth.events.set_index("event_id").loc[case["table_by"]]
        label = dict(zip(synth.actors["actor"], synth.actors["label"], strict=True))
        names = [label[name] for name in str(event["to"]).split(";")]
        to = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        how = _ROUTES[case["route"]].format(actor=label[event["actor"]], to=to)
        lines.append(f"- The table: event {case['table_by']} on {case['table_at']}: {how}.")
    if pd.notna(case["first_round_by"]):
        lines.append(
            f"- The first round with every organisation: event {case['first_round_by']} on "
            f"{case['first_round_at']}."
        )
    lines.append(
        f"- {len(missed)} missed opportunities: "
        + (", ".join(missed["event_id"]) if len(missed) else "none")
        + "."
    )
    deciders = synth.actors.loc[synth.actors["decides"] == "yes", "label"].tolist()
    reached = int(truth["reached_decision_at"].notna().sum())
    lines.append(
        f"- Who decides: {', '.join(deciders)}; {reached} of {case['signals']} signals "
        "reached them by the horizon."
        if deciders
        else "- No organisation in this case decides on protection or intervention: "
        "the reach figures stay empty."
    )
    uncertain = synth.events["confidence"].value_counts()
    lines.append(
        f"- {uncertain.get('likely', 0)} rows are marked `likely` and "
        f"{uncertain.get('uncertain', 0)} `uncertain`."
    )
    for episode in synth.episodes.itertuples():
        lines.append(
            f"- Episode {episode.episode_id} ({episode.assessment}): event {episode.events}, "
            f"{episode.title.lower()}."
        )
    lines += [
        "",
        "`casuistry analyse` must find exactly these convergence times, reach moments and "
        "missed opportunities; the test suite checks it.",
        "",
    ]
    return "\n".join(lines)


def write_bundled(root: str | Path, *, scenarios=None) -> list[Path]:
    """Write the bundled case of each scenario into ``root/<scenario>/``.

    Returns
    -------
    list of Path
        Every file written.
    """
    root = Path(root)
    written = []
    for name in scenarios or SEEDS:
        synth = synthesize(name, 1, seed=SEEDS[name])
        folder = root / name
        written += synth.save(folder)
        written.append(write_text(folder / "README.md", readme(synth, f"data/synthetic/{name}")))
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m casuistry.synthetic.bundled FOLDER", file=sys.stderr)
        return 2
    for path in write_bundled(args[0]):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
