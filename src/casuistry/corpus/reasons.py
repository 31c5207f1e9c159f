"""Why information was withheld: reasons counted over many withholds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook
from casuistry.corpus._common import By, _groups, _keys, _require, _table
from casuistry.kinds import WITHHOLD
from casuistry.presentation.texts import Texts
from casuistry.vocabulary import KIND, REASON, REASONS

#: The ``reason`` code :func:`reason_counts` gives a withhold that records none.
NO_REASON = "(none)"


def reason_counts(data, *, by: By = None, reason: str = REASON) -> pd.DataFrame:
    """How often each reason for withholding information was recorded, per group.

    Parameters
    ----------
    data : casuistry.Analysis, casuistry.Casebook or pandas.DataFrame
        An Analysis (its withholds up to the horizon, from the
        ``opportunities`` table), a Casebook (every withhold of its events,
        also those after the horizon), or a table with a ``kind`` column
        whose ``withhold`` rows are counted, for example
        ``stack(analyses, table="opportunities")``.
    by : str, sequence of str or None, keyword-only
        Column(s) to group by (``"scenario"``, ``"case_id"``); None for one
        count over all withholds. Rows with a missing group value are left
        out.
    reason : str, keyword-only
        The column holding the reason codes.

    Returns
    -------
    pandas.DataFrame
        Per group one row for every reason of the case format
        (:data:`casuistry.vocabulary.REASONS`, in its order, also when not
        seen), then any other code found (sorted), then :data:`NO_REASON`
        for withholds without a reason. Columns: the ``by`` columns;
        ``reason`` (the code); ``label_nl``, ``label_en`` (its meaning, or
        the code itself for a code outside the list); ``withholds`` (how
        many); ``share`` (of the group's withholds); ``missed`` (how many of
        them were missed opportunities, i.e. would have brought some signal
        forward; missing when the data does not say, as for a Casebook).
        Groups without withholds have no rows.

    Raises
    ------
    CasuistryError
        When a table lacks its ``kind`` column, the ``reason`` column or a
        ``by`` column.

    Examples
    --------
    >>> import casuistry
    >>> from casuistry.corpus import reason_counts
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> counts = reason_counts(result)
    >>> counts.loc[counts["withholds"] > 0, ["reason", "withholds", "missed"]].values.tolist()
    [['privacy_uncertainty', 1, 1]]
    """
    frame = _withholds(data)
    keys = _keys(by)
    _require(frame, [*keys, KIND, reason], "reason_counts", by=keys)
    withholds = frame[frame[KIND] == WITHHOLD]
    codes = withholds[reason].astype("string").str.strip()
    codes = codes.mask(codes.isna() | (codes == ""), NO_REASON).astype(object)
    work = pd.DataFrame({"reason": codes}, index=withholds.index)
    for key in keys:
        work[key] = withholds[key]
    has_missed = "missed" in withholds.columns
    work["_missed"] = withholds["missed"].astype(bool) if has_missed else False
    others = sorted(set(codes) - set(REASONS) - {NO_REASON})
    order = [*REASONS, *others, NO_REASON]
    pieces = []
    for group, rows in _groups(work, keys):
        counts = rows.groupby("reason")["_missed"].agg(["size", "sum"]).reindex(order, fill_value=0)
        piece = pd.DataFrame(
            {
                "reason": order,
                "label_nl": [_reason_label(code, "nl") for code in order],
                "label_en": [_reason_label(code, "en") for code in order],
                "withholds": counts["size"].to_numpy(dtype=np.int64),
                "share": counts["size"].to_numpy(dtype=float) / len(rows),
                "missed": pd.array(
                    counts["sum"].to_numpy(dtype=np.int64) if has_missed else [pd.NA] * len(order),
                    dtype="Int64",
                ),
            }
        )
        for position, (key, value) in enumerate(zip(keys, group, strict=True)):
            piece.insert(position, key, value)
        pieces.append(piece)
    columns = [*keys, "reason", "label_nl", "label_en", "withholds", "share", "missed"]
    if not pieces:
        return pd.DataFrame(columns=columns)
    return pd.concat(pieces, ignore_index=True)[columns]


def _withholds(data) -> pd.DataFrame:
    if isinstance(data, Casebook):
        return data.events
    return _table(data, "opportunities")


def _reason_label(code: str, lang: str) -> str:
    texts = Texts(lang)
    return texts("reason.none") if code == NO_REASON else texts.reason(code)
