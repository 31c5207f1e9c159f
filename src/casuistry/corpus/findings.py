"""The reviewer's judgement over many cases: how many findings hold, and a findings bank.

:func:`holding_shares` counts the verdicts of the ``robustness`` table
(section 5.2 of the case format): per group, finding and variant, how many
findings hold, change or are gone without the uncertain rows (or on certain
rows only). :func:`episode_factors` puts each contributory factor beside its
episode's figures (section 5.4), and :func:`findings_bank` counts the factors
over cases, as PRISMA and Tripod pool causes over incidents.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casuistry.corpus._common import By, _analysis, _groups, _keys, _require, _table
from casuistry.errors import CasuistryError
from casuistry.presentation.texts import Texts, code_labels

#: The verdicts of section 5.2, in their order.
VERDICTS = ("holds", "changes", "gone")


def holding_shares(data, *, by: By = "scenario") -> pd.DataFrame:
    """How many findings hold without the uncertain rows, per group.

    Parameters
    ----------
    data : casuistry.Analysis or pandas.DataFrame
        An Analysis (its ``robustness`` table) or a robustness table with
        the ``by`` columns, for example ``stack(analyses, table="robustness")``.
    by : str, sequence of str or None, keyword-only
        Column(s) whose values make the groups (``scenario``, ``case_id``);
        None for all rows at once.

    Returns
    -------
    pandas.DataFrame
        One row per group, ``finding`` (``signal``, ``opportunity``,
        ``silo_pair``, ``case``) and ``variant`` (``without_uncertain``,
        ``certain_only``) that occurs, sorted. Columns: the ``by`` columns,
        ``finding``, ``variant``, ``findings`` (rows), ``holds``,
        ``changes``, ``gone`` (counts) and ``share_holding`` (holds over
        findings). A corpus without uncertain or likely rows has an empty
        robustness table, and so no rows here.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"finding": ["signal"] * 4, "variant": ["certain_only"] * 4,
    ...                       "verdict": ["holds", "holds", "gone", "changes"]})
    >>> shares = holding_shares(table, by=None)
    >>> shares[["findings", "holds", "gone"]].values.tolist(), shares["share_holding"].tolist()
    ([[4, 2, 1]], [0.5])
    """
    frame = _table(data, "robustness")
    keys = [*_keys(by), "finding", "variant"]
    _require(frame, [*keys, "verdict"], "holding_shares", by=_keys(by))
    verdict = frame["verdict"].astype(object)
    work = pd.DataFrame({key: frame[key].astype(object) for key in keys})
    for name in VERDICTS:
        work[name] = (verdict == name).to_numpy(dtype=np.int64)
    if work.empty:
        return pd.DataFrame(columns=[*keys, "findings", *VERDICTS, "share_holding"])
    out = work.groupby(keys, sort=True)[list(VERDICTS)].sum().reset_index()
    out.insert(len(keys), "findings", out[list(VERDICTS)].sum(axis=1).astype(np.int64))
    out["share_holding"] = out["holds"] / out["findings"]
    return out


def episode_factors(analyses, *, name: str = "scenario") -> pd.DataFrame:
    """Every contributory factor beside its episode's figures.

    Parameters
    ----------
    analyses : casuistry.Analysis or mapping of name to Analysis
        One Analysis, or several (``{"jeugdbescherming": analysis, ...}``),
        each with the ``factors`` table of its casebook.
    name : str, keyword-only
        For a mapping: the column that names where each row came from.

    Returns
    -------
    pandas.DataFrame
        One row per factor row, in the order of the factors tables. Columns:
        ``name`` (for a mapping), ``case_id``, ``episode_id``, ``factor``,
        ``assessment``, ``missed`` (how many of the episode's events are
        missed opportunities), ``gain_signal_days`` (their gains added; 0
        when none), and ``description``.

    Raises
    ------
    CasuistryError
        For a value that is no Analysis.

    Examples
    --------
    >>> import casuistry
    >>> book = casuistry.load("data/synthetic/huiselijk_geweld")
    >>> table = episode_factors(casuistry.analyse(book))
    >>> table[["episode_id", "assessment", "missed"]].values.tolist()
    [['k1', 'problematic', 1], ['k2', 'good', 0]]
    """
    from casuistry.analysis import Analysis

    if isinstance(analyses, Analysis):
        return _episode_factors(analyses)
    if not isinstance(analyses, Mapping) or not analyses:
        raise CasuistryError("give an Analysis or a mapping of name to Analysis")
    pieces = []
    for key, analysis in analyses.items():
        frame = _episode_factors(_analysis(key, analysis))
        pieces.append(frame.assign(**{name: key})[[name, *frame.columns]])
    return pd.concat(pieces, ignore_index=True)


def _episode_factors(analysis) -> pd.DataFrame:
    factors = analysis.casebook.factors
    columns = ["case_id", "episode_id", "factor", "assessment", "missed", "gain_signal_days"]
    if factors is None or factors.empty:
        return pd.DataFrame(columns=[*columns, "description"])
    episodes = analysis.episodes.set_index(["case_id", "episode_id"])
    keys = pd.MultiIndex.from_arrays(
        [factors["case_id"].astype(object), factors["episode_id"].astype(object)]
    )
    figures = episodes.reindex(keys)
    description = factors.get("description")
    return pd.DataFrame(
        {
            "case_id": keys.get_level_values(0),
            "episode_id": keys.get_level_values(1),
            "factor": factors["factor"].astype(object).to_numpy(),
            "assessment": figures["assessment"].astype(object).to_numpy(),
            "missed": np.array([len(m) for m in figures["missed"]], dtype=np.int64),
            "gain_signal_days": figures["gain_signal_days"].fillna(0.0).to_numpy(dtype=float),
            "description": None if description is None else description.astype(object).to_numpy(),
        }
    )


def findings_bank(data, *, by: By = "assessment", lang: str = "nl") -> pd.DataFrame:
    """Contributory factors counted over cases, with their episodes' figures.

    Parameters
    ----------
    data : pandas.DataFrame, casuistry.Analysis or mapping of name to Analysis
        The table of :func:`episode_factors` (which may carry more columns
        to group by), or what :func:`episode_factors` takes.
    by : str, sequence of str or None, keyword-only
        Column(s) beside ``factor`` whose values make the groups:
        ``assessment`` (the default), ``scenario``, both, or None.
    lang : {"nl", "en"}, keyword-only
        Language of the ``label`` column.

    Returns
    -------
    pandas.DataFrame
        One row per group and factor that occurs, sorted by group, then by
        ``episodes`` (most first), then ``factor``. Columns: the ``by``
        columns, ``factor``, ``label`` (its name in ``lang``), ``episodes``
        (distinct episodes that name it), ``cases`` (distinct cases),
        ``missed`` (missed opportunities in those episodes, added) and
        ``gain_signal_days`` (their gains, added).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"case_id": ["a", "a", "b"], "episode_id": ["k1", "k2", "k1"],
    ...                      "factor": ["workload", "workload", "team"],
    ...                      "assessment": ["problematic"] * 3, "missed": [1, 2, 0],
    ...                      "gain_signal_days": [10.0, 5.0, 0.0]})
    >>> findings_bank(rows, lang="en")[["factor", "episodes", "cases", "missed"]].values.tolist()
    [['workload', 2, 1, 3], ['team', 1, 1, 0]]
    """
    frame = data if isinstance(data, pd.DataFrame) else episode_factors(data)
    keys = _keys(by)
    _require(
        frame,
        [*keys, "case_id", "episode_id", "factor", "missed", "gain_signal_days"],
        "findings_bank",
        by=keys,
    )
    language = Texts(lang).lang
    labels = code_labels("factor")
    columns = [*keys, "factor", "label", "episodes", "cases", "missed", "gain_signal_days"]
    pieces = []
    for group, rows in _groups(frame, keys):
        # one factor named twice for an episode counts that episode once
        unique = rows.drop_duplicates(["case_id", "episode_id", "factor"])
        counted = (
            unique.groupby("factor", sort=True)
            .agg(
                episodes=("episode_id", "size"),
                cases=("case_id", "nunique"),
                missed=("missed", "sum"),
                gain_signal_days=("gain_signal_days", "sum"),
            )
            .reset_index()
            .sort_values(["episodes", "factor"], ascending=[False, True], kind="stable")
        )
        names = [labels[code][language] if code in labels else code for code in counted["factor"]]
        counted.insert(1, "label", names)
        for position, (key, value) in enumerate(zip(keys, group, strict=True)):
            counted.insert(position, key, value)
        pieces.append(counted)
    if not pieces:
        return pd.DataFrame(columns=columns)
    out = pd.concat(pieces, ignore_index=True)[columns]
    out[["episodes", "cases", "missed"]] = out[["episodes", "cases", "missed"]].astype(np.int64)
    return out
