"""``casuistry synth``: write synthetic cases with planted truth."""

from __future__ import annotations

from casuistry.cli import counted
from casuistry.errors import CasuistryError

FORMATS = ("csv", "parquet", "xlsx")


def add_parser(subparsers):
    from casuistry.cli import subcommand_parser
    from casuistry.synthetic.knobs import KNOB_NAMES
    from casuistry.synthetic.scenarios import SCENARIOS

    parser = subcommand_parser(
        subparsers,
        "synth",
        help="write synthetic cases with planted truth",
        description="Draw synthetic cases of a scenario and write them in the case format "
        "(events and actors), together with the truth the generator planted: when every signal "
        "converged and by which event (truth_signals), which withholds and contacts were missed "
        "opportunities (truth_opportunities), and how each case went (truth_cases). The same "
        "scenario, number of cases, seed and knobs always give the same files. Scenarios: "
        + ", ".join(SCENARIOS)
        + ". Knobs: "
        + ", ".join(KNOB_NAMES)
        + " (see casuistry.synthetic.knobs for their meaning and defaults).",
        example="casuistry synth --scenario huiselijk_geweld --cases 100 --seed 7 -o hg/ "
        "--knob withhold_propensity=0.5",
    )
    parser.add_argument("--scenario", required=True, help="one of: " + ", ".join(SCENARIOS))
    parser.add_argument("--cases", type=int, default=1, help="number of cases (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="the seed (default 0)")
    parser.add_argument("-o", "--out", required=True, help="folder to write the files into")
    parser.add_argument(
        "--format", choices=FORMATS, default="csv", help="file format (default csv)"
    )
    parser.add_argument(
        "--knob",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a knob; repeat for several. reason_mix takes reason:weight pairs "
        "separated by commas (no_consent:2,capacity:1)",
    )
    return parser


def parse_knobs(items: list[str]) -> dict:
    """Knob settings from ``NAME=VALUE`` strings.

    Examples
    --------
    >>> parse_knobs(["share_propensity=0.8", "meeting_cadence_days=14", "start=2024-01-01"])
    {'share_propensity': 0.8, 'meeting_cadence_days': 14, 'start': '2024-01-01'}
    >>> parse_knobs(["reason_mix=no_consent:2,capacity:1"])
    {'reason_mix': {'no_consent': 2, 'capacity': 1}}
    """
    knobs = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CasuistryError(
                f"--knob {item!r}: write it as NAME=VALUE, for example share_propensity=0.8"
            )
        name = name.strip()
        if name == "reason_mix":
            knobs[name] = _reason_mix(value)
        else:
            knobs[name] = _value(value.strip())
    return knobs


def _reason_mix(text: str) -> dict:
    mix = {}
    for pair in text.split(","):
        reason, sep, weight = pair.partition(":")
        if not sep:
            raise CasuistryError(
                f"--knob reason_mix={text!r}: give reason:weight pairs "
                "separated by commas, for example no_consent:2,capacity:1"
            )
        mix[reason.strip()] = _value(weight.strip())
    return mix


def _value(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def run(args) -> int:
    from casuistry.synthetic import synthesize

    if args.cases < 1:
        raise CasuistryError(f"--cases needs a whole number of 1 or more, not {args.cases}")
    knobs = parse_knobs(args.knob)
    synth = synthesize(args.scenario, args.cases, seed=args.seed, progress=None, **knobs)
    paths = synth.save(args.out, format=args.format)
    cases = synth.truth_cases
    converged = int((cases["outcome"].isin(["table", "table_then_incident"])).sum())
    print(
        f"wrote {counted(len(cases), f'{args.scenario} case')}, {synth.n_events} events (seed "
        f"{args.seed}): {converged} reached the table, "
        f"{int(synth.truth_opportunities['missed'].sum())} missed opportunities planted"
    )
    for path in paths:
        print(f"  {path}")
    print(f"check them with: casuistry validate {paths[0] if args.format == 'xlsx' else args.out}")
    return 0
