"""Every word of the report and its pictures, in Dutch and English, in one place.

The strings live in ``assets/texts.json`` (one entry per key, with ``nl``
and ``en`` side by side) and the glossary in ``assets/glossary.json``. An
entry is a plain string or, for a count, a pair of ``one`` and ``other``
forms. Placeholders are ``{name}`` fields of :meth:`str.format`.

Examples
--------
>>> t = Texts("en")
>>> t("kind.withhold")
'withhold'
>>> t.n("count.signals", 1)
'1 signal'
>>> Texts("nl").days(2.5)
'2,5 dagen'
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from casuistry.errors import CasuistryError
from casuistry.vocabulary import BASES, REASONS, SILOS

LANGUAGES: tuple[str, ...] = ("nl", "en")


@cache
def asset(name: str) -> str:
    """The text of a file in ``reporting/assets``."""
    return resources.files("casuistry.reporting").joinpath("assets", name).read_text("utf-8")


@cache
def _load(name: str) -> dict:
    return json.loads(asset(name))


def strings() -> dict[str, dict]:
    """All report strings: ``{key: {"nl": ..., "en": ...}}``."""
    return _load("texts.json")


def glossary() -> list[dict[str, dict[str, str]]]:
    """The glossary: entries ``{"term": {"nl", "en"}, "text": {"nl", "en"}}``."""
    return _load("glossary.json")


def check_language(lang: str) -> str:
    """Return ``lang`` when the report speaks it, else raise CasuistryError."""
    if lang not in LANGUAGES:
        raise CasuistryError(f"unknown report language {lang!r}; choose one of: nl, en")
    return lang


class Texts:
    """The strings of one language, with number and duration formatting.

    Parameters
    ----------
    lang : {"nl", "en"}
        The language of the report.
    """

    def __init__(self, lang: str):
        self.lang = check_language(lang)
        self._strings = strings()

    def __call__(self, key: str, **fields) -> str:
        """The string ``key``, with ``fields`` filled in."""
        value = self._strings[key][self.lang]
        return value.format(**fields) if fields else value

    def n(self, key: str, count: int, **fields) -> str:
        """The ``one`` or ``other`` form of ``key`` for ``count``, as ``{n}``."""
        forms = self._strings[key][self.lang]
        form = forms["one"] if count == 1 else forms["other"]
        return form.format(n=count, **fields)

    def number(self, value: float, *, digits: int = 1) -> str:
        """A number as the language writes it: ``2,5`` in Dutch, ``2.5`` in English.

        Whole numbers get no decimals; others are rounded to ``digits``.
        """
        rounded = round(float(value), digits)
        if rounded == int(rounded):
            return str(int(rounded))
        text = f"{rounded:.{digits}f}".rstrip("0")
        return text.replace(".", ",") if self.lang == "nl" else text

    def days(self, value: float) -> str:
        """A duration in days with its unit (``1 day``, ``2.5 days``)."""
        text = self.number(value)
        return self("unit.day" if text == "1" else "unit.days", n=text)

    def kind(self, kind: str) -> str:
        """The name of an event kind."""
        return self(f"kind.{kind}")

    def silo(self, silo: str) -> str:
        """A silo's name: from the vocabulary when known, else as written."""
        known = SILOS.get(str(silo))
        return known[self.lang] if known else str(silo)

    def reason(self, code: object) -> str:
        """A withhold reason's meaning, or the code itself when it is not in the list."""
        known = REASONS.get(str(code))
        return known[self.lang] if known else str(code)

    def basis(self, code: object) -> str:
        """A legal basis's meaning, or the code itself when it is not in the list."""
        known = BASES.get(str(code))
        return known[self.lang] if known else str(code)

    def confidence(self, value: object) -> str:
        """How sure an event is (``certain``, ``likely``, ``uncertain``, in any case)."""
        key = f"confidence.{str(value).strip().lower()}"
        return self(key) if key in self._strings else str(value)

    def category(self, category: object) -> str:
        """A signal category as words (``huiselijk_geweld`` -> ``huiselijk geweld``)."""
        return str(category).replace("_", " ")
