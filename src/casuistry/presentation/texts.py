"""Every user-facing word of casuistry, in Dutch and English, in one place.

The words are data, in ``presentation/data``:

- ``texts.json`` (and ``session.json``, the words of the learning session:
  presentation mode, handout and slides): one entry per key, with ``nl`` and ``en`` side by side,
  for the reports, the pictures, the CLI summary and the corpus tables. An
  entry is a plain string or, for a count, a pair of ``one`` and ``other``
  forms (see :meth:`Texts.n`). Placeholders are ``{name}`` fields of
  :meth:`str.format`.
- ``codes.json``: the meaning of each withhold reason, silo and legal basis
  of the vocabulary (also :data:`casuistry.vocabulary.REASONS`, ``SILOS`` and
  ``BASES``).
- ``glossary.json``: the report's glossary.

Examples
--------
>>> t = Texts("en")
>>> t("kind.withhold")
'withhold'
>>> t.n("count.signals", 1)
'1 signal'
>>> Texts("nl").days(2.5)
'2,5 dagen'
>>> Texts("nl").reason("no_consent")
'geen toestemming van de cliënt'
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from casuistry.errors import CasuistryError

#: The languages casuistry speaks: the first is the default of reports and notebooks.
LANGUAGES: tuple[str, ...] = ("nl", "en")


@cache
def package_file(package: str, name: str) -> str:
    """The text of a file shipped in ``package`` (e.g. a stylesheet or a script).

    Parameters
    ----------
    package : str
        A casuistry package, such as ``"casuistry.presentation"``.
    name : str
        The file's path inside the package, ``/``-separated.
    """
    return resources.files(package).joinpath(*name.split("/")).read_text("utf-8")


@cache
def _data(name: str):
    return json.loads(package_file("casuistry.presentation", f"data/{name}"))


#: The files of strings; each key lives in exactly one of them.
TEXT_FILES: tuple[str, ...] = ("texts.json", "session.json")


@cache
def strings() -> dict[str, dict]:
    """All strings of :data:`TEXT_FILES`: ``{key: {"nl": ..., "en": ...}}``.

    Raises
    ------
    CasuistryError
        When two files define the same key.
    """
    merged: dict[str, dict] = {}
    for name in TEXT_FILES:
        more = _data(name)
        twice = sorted(set(merged) & set(more))
        if twice:
            raise CasuistryError(f"text keys defined twice, again in {name}: {', '.join(twice)}")
        merged.update(more)
    return merged


def glossary() -> list[dict[str, dict[str, str]]]:
    """The glossary: entries ``{"term": {"nl", "en"}, "text": {"nl", "en"}}``."""
    return _data("glossary.json")


def code_labels(table: str) -> dict[str, dict[str, str]]:
    """The meaning of every code of a vocabulary list: ``{code: {"nl": ..., "en": ...}}``.

    Parameters
    ----------
    table : {"reason", "silo", "basis", "assessment", "factor", "source_type", "reliability"}
        Withhold reasons, silos, legal bases, or the reviewer's codes (section 5.1).

    Examples
    --------
    >>> code_labels("silo")["zorg"]
    {'nl': 'zorg', 'en': 'health care'}
    """
    return _data("codes.json")[table]


def check_language(lang: str) -> str:
    """Return ``lang`` when casuistry speaks it, else raise CasuistryError."""
    if lang not in LANGUAGES:
        raise CasuistryError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return lang


class Texts:
    """The strings of one language, with number, count and duration formatting.

    Parameters
    ----------
    lang : {"nl", "en"}
        The language.
    """

    def __init__(self, lang: str):
        self.lang = check_language(lang)
        self._strings = strings()

    def __call__(self, key: str, **fields) -> str:
        """The string ``key``, with ``fields`` filled in."""
        value = self._strings[key][self.lang]
        return value.format(**fields) if fields else value

    def __contains__(self, key: object) -> bool:
        """Whether there is a string ``key``."""
        return key in self._strings

    def n(self, key: str, count: float, **fields) -> str:
        """The ``one`` or ``other`` form of ``key`` for ``count``, filled in as ``{n}``.

        ``count`` may be a number or a number already written as text; the
        ``one`` form is used only for exactly one (``1``, not ``1.5``).

        Examples
        --------
        >>> Texts("en").n("count.signals", 2)
        '2 signals'
        >>> Texts("en").n("unit.days", "1")
        '1 day'
        """
        forms = self._strings[key][self.lang]
        form = forms["one"] if count in (1, "1") else forms["other"]
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
        return self.n("unit.days", self.number(value))

    def kind(self, kind: str) -> str:
        """The name of an event kind."""
        return self(f"kind.{kind}")

    def silo(self, silo: object) -> str:
        """A silo's name: from the vocabulary when known, else as written."""
        return self._code("silo", silo)

    def reason(self, code: object) -> str:
        """A withhold reason's meaning, or the code itself when it is not in the list."""
        return self._code("reason", code)

    def basis(self, code: object) -> str:
        """A legal basis's meaning, or the code itself when it is not in the list."""
        return self._code("basis", code)

    def label(self, table: str, code: object) -> str:
        """The meaning of a code of one of the lists of :func:`code_labels`, or the code itself.

        >>> Texts("en").label("factor", "workload")
        'workload and time'
        """
        return self._code(table, code)

    def _code(self, table: str, code: object) -> str:
        known = code_labels(table).get(str(code))
        return known[self.lang] if known else str(code)

    def confidence(self, value: object) -> str:
        """How sure an event is (``certain``, ``likely``, ``uncertain``, in any case)."""
        key = f"confidence.{str(value).strip().lower()}"
        return self(key) if key in self._strings else str(value)

    def category(self, category: object) -> str:
        """A signal category as words (``huiselijk_geweld`` -> ``huiselijk geweld``)."""
        return str(category).replace("_", " ")
