"""``python -m casuistry.demo --out build/demo``: learning reports of the bundled cases.

Builds, in Dutch and English, the report of the bundled example case
(:func:`casuistry.example_path`) and of the first case of every scenario in
``data/synthetic/<scenario>/``, plus an ``index.html`` that links them, and
prints where to open it. Next to the Dutch report of the example it writes
the PDF handout and the slide deck (:func:`handouts`); without chromium or
python-pptx it says so and skips them. The synthetic data is looked for in the current
folder and in the repository the package runs from; when it is absent the
demo says so and shows the example only. The output folder is built aside
and moved into place at the end, so it is never half-written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casuistry.errors import CasuistryError
from casuistry.presentation.texts import LANGUAGES

SYNTHETIC = Path("data") / "synthetic"


def find_synthetic(explicit: str | None = None) -> Path | None:
    """The folder of synthetic scenarios: given, in the current folder, or in the repository."""
    if explicit is not None:
        return Path(explicit)
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (root / SYNTHETIC).is_dir():
            return root / SYNTHETIC
    return None


def sources(synthetic: Path | None) -> list[tuple[str, Path]]:
    """``(title, path)`` of every input the demo reports on, the example first."""
    from casuistry.examples import example_path

    found = [("puzzel (bundled example)", example_path())]
    if synthetic is None:
        print(
            f"note: no {SYNTHETIC} folder here or in the repository; run 'make data' to make "
            "it. Showing the bundled example only.",
            file=sys.stderr,
        )
        return found
    if not synthetic.is_dir():
        raise CasuistryError(f"{synthetic} is not a folder of synthetic scenarios")
    scenarios = sorted(p for p in synthetic.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not scenarios:
        print(f"note: {synthetic} holds no scenario folders; run 'make data'.", file=sys.stderr)
    return found + [(p.name, p) for p in scenarios]


def build_demo(out: str | Path, synthetic: Path | None, *, index_lang: str = LANGUAGES[0]) -> Path:
    """Write the demo reports and their index into ``out``; return the index page."""
    from casuistry.analysis import analyse
    from casuistry.io.atomic import build_folder, put_text
    from casuistry.io.names import case_file_name
    from casuistry.loading import load
    from casuistry.reporting.index import case_entry, render_index
    from casuistry.reporting.page import render_report

    inputs = sources(synthetic)
    total = len(inputs) * len(LANGUAGES)

    def build(folder: Path) -> None:
        entries, done = [], 0
        for title, path in inputs:
            analysis = analyse(load(path))
            case_id = analysis.casebook.case_ids[0]
            name = case_file_name(f"{path.name}-{case_id}")
            links = []
            for lang in LANGUAGES:
                done += 1
                target = f"{lang}/{name}"
                print(f"[{done}/{total}] {lang}: {title}, case {case_id} -> {target}", flush=True)
                html = render_report(analysis, case_id, lang=lang)
                put_text(folder / target, html)
                links.append((lang, target))
                if not entries and lang == LANGUAGES[0]:
                    handouts(analysis, case_id, folder / target, html)
            entries.append(case_entry(analysis, case_id, links, title=title))
        put_text(folder / "index.html", render_index(entries, lang=index_lang))

    folder = build_folder(out, build, inputs=[path for _, path in inputs])
    return folder / "index.html"


def handouts(analysis, case_id: str, report: Path, html: str) -> None:
    """Write the PDF and the slide deck of one case next to its report, or say why not.

    A machine without chromium (or python-pptx) still gets the reports: the
    demo prints a line saying what was skipped and how to get it.
    """
    from casuistry.errors import ToolMissing
    from casuistry.reporting.facts import CaseFacts
    from casuistry.reporting.pdf import pdf_bytes
    from casuistry.reporting.slides import deck_bytes

    lang = LANGUAGES[0]
    makers = {
        ".pdf": lambda: pdf_bytes(html),
        ".pptx": lambda: deck_bytes(CaseFacts(analysis, case_id, lang=lang, calendar_dates=False)),
    }
    for suffix, make in makers.items():
        target = report.with_suffix(suffix)
        try:
            target.write_bytes(make())
        except ToolMissing as err:
            print(f"skipped {target.name}: {err}", flush=True)
        else:
            print(f"        {lang}: {target.name} next to its report", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the exit status (2 for bad input)."""
    parser = argparse.ArgumentParser(
        prog="python -m casuistry.demo",
        description="Build learning reports (nl and en) of the bundled example and of one "
        "case per synthetic scenario, with an index page.",
    )
    parser.add_argument("--out", default="build/demo", help="output folder (default: build/demo)")
    parser.add_argument(
        "--data", default=None, help="folder of synthetic scenarios (default: data/synthetic)"
    )
    args = parser.parse_args(argv)
    try:
        index = build_demo(args.out, find_synthetic(args.data))
    except CasuistryError as err:
        print(f"casuistry demo: {err}", file=sys.stderr)
        return 2
    print(f"open {index.resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
