"""How reports and pictures write the times of one case.

By default a time is written as the day since the case's first event
(``dag 12`` / ``day 12``): it keeps the reader's eye on intervals and shows no
calendar date. With ``calendar_dates=True`` calendar cases show their dates
(and times of day, when the case has them); day-number cases then show their
own day numbers, since they have no calendar.

Examples
--------
>>> import pandas as pd
>>> from casuistry.presentation.texts import Texts
>>> clock = Clock(style="date", origin=pd.Timestamp("2024-01-15"), texts=Texts("en"))
>>> clock.label(pd.Timestamp("2024-01-27"))
'day 12'
>>> clock.day(pd.Timestamp("2024-01-16 12:00"))
1.5
>>> Clock(style="date", origin=pd.Timestamp("2024-01-15"), texts=Texts("nl"),
...       calendar_dates=True).label(pd.Timestamp("2024-01-27"))
'27 januari 2024'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from casuistry.presentation.missing import missing
from casuistry.presentation.texts import Texts
from casuistry.timeaxis import DATETIME, DAYS
from casuistry.vocabulary import SECONDS_PER_DAY, TICKS


@dataclass(frozen=True)
class Clock:
    """Writes times of one case relative to its first event, or as dates.

    Parameters
    ----------
    style : {"date", "datetime", "days"}
        The case's time style (``Analysis.cases.time_style``).
    origin : pandas.Timestamp or float
        The time of the case's first event, as the analysis tables hold
        times: a Timestamp for calendar cases, a number of days otherwise.
    texts : Texts
        The language.
    calendar_dates : bool
        Write calendar dates instead of relative days.
    """

    style: str
    origin: pd.Timestamp | float
    texts: Texts
    calendar_dates: bool = False

    @classmethod
    def from_ticks(cls, style: str, origin_ticks: int, texts: Texts, *, calendar_dates=False):
        """A clock whose origin is given in ticks (see :mod:`casuistry.timeaxis`)."""
        return cls(style, _from_ticks(origin_ticks, style), texts, calendar_dates)

    @classmethod
    def of_case(cls, analysis, texts: Texts, *, calendar_dates=False):
        """The clock of the one case of ``analysis``: its time style, from its first event.

        Examples
        --------
        >>> import casuistry
        >>> one = casuistry.analyse(casuistry.load(casuistry.example_path()))
        >>> Clock.of_case(one, Texts("en")).label_of_day(3)
        'day 3'
        """
        return cls.from_ticks(
            analysis.cases["time_style"].iloc[0],
            int(analysis.casebook.events[TICKS].min()),
            texts,
            calendar_dates=calendar_dates,
        )

    def day(self, value) -> float | None:
        """Days since the first event, or None for a missing time."""
        if missing(value):
            return None
        if self.style == DAYS:
            return float(value) - float(self.origin)
        return (pd.Timestamp(value) - pd.Timestamp(self.origin)) / pd.Timedelta(days=1)

    def day_of_ticks(self, ticks: int) -> float:
        """Days since the first event of a time given in ticks."""
        return self.day(_from_ticks(int(ticks), self.style))

    def label(self, value) -> str:
        """A time as the report writes it; an empty string for a missing time."""
        day = self.day(value)
        if day is None:
            return ""
        return self.label_of_day(day)

    def label_of_day(self, day: float) -> str:
        """A day since the first event, written as the report writes times."""
        if not self.calendar_dates:
            return self.texts("time.day", n=self.texts.number(day))
        if self.style == DAYS:
            return written_time(day + float(self.origin), self.style, self.texts)
        stamp = pd.Timestamp(self.origin) + pd.Timedelta(days=day)
        return written_time(stamp, self.style, self.texts)

    def tick_label_of_day(self, day: float) -> str:
        """A day as a picture's time axis writes it: as :meth:`label_of_day`, but a
        calendar date always in the compact ISO form (``2024-01-27``), which fits ten ticks.

        Examples
        --------
        >>> clock = Clock(style="date", origin=pd.Timestamp("2024-01-15"), texts=Texts("nl"),
        ...               calendar_dates=True)
        >>> clock.tick_label_of_day(12), clock.label_of_day(12)
        ('2024-01-27', '27 januari 2024')
        """
        if self.calendar_dates and self.style != DAYS:
            return (pd.Timestamp(self.origin) + pd.Timedelta(days=day)).strftime("%Y-%m-%d")
        return self.label_of_day(day)

    def axis_label(self) -> str:
        """What the time axis of a picture shows."""
        if self.calendar_dates and self.style != DAYS:
            return self.texts("axis.date")
        if self.calendar_dates:
            return self.texts("axis.case_day")
        return self.texts("axis.day")


def written_time(value, style: str, texts: Texts) -> str:
    """A time of an analysis table as itself: its date (and time of day), or its day number.

    Parameters
    ----------
    value : pandas.Timestamp or float
        The time, as the analysis tables hold it: a Timestamp for calendar
        cases, a number of days otherwise. It must not be missing.
    style : {"date", "datetime", "days"}
        The case's time style.
    texts : Texts
        The language (of ``day 7`` / ``dag 7``).

    Examples
    --------
    >>> written_time(pd.Timestamp("2024-03-01 09:30"), "datetime", Texts("en"))
    '2024-03-01 09:30'
    >>> written_time(7.5, "days", Texts("nl"))
    'dag 7,5'
    >>> written_time(pd.Timestamp("2018-05-15"), "date", Texts("nl"))
    '15 mei 2018'
    >>> written_time(pd.Timestamp("2018-05-15 08:05"), "datetime", Texts("nl"))
    '15 mei 2018 08:05'
    """
    if style == DAYS:
        return texts("time.day", n=texts.number(float(value)))
    stamp = value if isinstance(value, pd.Timestamp) else pd.Timestamp(value)
    # Written from the parts: strftime took most of a corpus' summary (759,194 times).
    if texts.lang == "nl":
        date = f"{stamp.day} {DUTCH_MONTHS[stamp.month - 1]} {stamp.year}"
    else:
        date = f"{stamp.year}-{stamp.month:02d}-{stamp.day:02d}"
    return f"{date} {stamp.hour:02d}:{stamp.minute:02d}" if style == DATETIME else date


#: Dutch month names, as a Dutch date writes them ("15 mei 2018").
DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def _from_ticks(ticks: int, style: str) -> pd.Timestamp | float:
    if style == DAYS:
        return ticks / SECONDS_PER_DAY
    return pd.Timestamp("1970-01-01") + pd.Timedelta(seconds=int(ticks))
