"""Periods typed by people (« du 01/11/2026 au 23/11/2026 ») and the days and months they cover.

The store filters by equality or membership only, so a date range becomes the set of its days (the journal)
or of its months (consumption): each is an indexed column, and a membership test on it is served by its
index on both backends. A range is bounded, so the set stays small enough to send as one parameter.
"""

from __future__ import annotations

import datetime as dt

MAX_DAYS = 3700
"""About ten years: what a journal filter may span."""
MONTHS_FR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def parse_day(text: str, field: str = "Date") -> tuple[dt.date | None, str]:
    """(date, problem) from « 23/11/2026 » (also « 23/11/26 », « 2026-11-23 »); empty text is no date."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        if "-" in text:
            return dt.date.fromisoformat(text), ""
        day, month, year = (int(part) for part in text.split("/"))
        return dt.date(year + 2000 if year < 100 else year, month, day), ""
    except ValueError:
        return None, f"{field} : « {text} » n'est pas une date ; écrivez-la JJ/MM/AAAA (ex. 23/11/2026)."


def french_day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def days_between(start: dt.date, end: dt.date) -> tuple[str, ...]:
    """Every day from `start` to `end` included, as ISO text (what the journal's `day` column holds)."""
    if end < start:
        return ()
    return tuple((start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1))


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: dt.date, end: dt.date) -> tuple[str, ...]:
    """Every month from `start`'s to `end`'s included, as « 2026-11 »."""
    out: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(out)


def month_label(month: str) -> str:
    """« nov. 2026 » from « 2026-11 »."""
    year, number = month.split("-")
    return f"{MONTHS_FR[int(number) - 1]} {year}"


def check_range(start: dt.date | None, end: dt.date | None, *, max_days: int = MAX_DAYS) -> str:
    """Why a « du … au … » cannot be used as typed, or ""."""
    if start and end and end < start:
        return f"La date de fin ({french_day(end)}) précède la date de début ({french_day(start)})."
    if start and end and (end - start).days >= max_days:
        return f"Période trop longue : {max_days // 365} ans au plus."
    return ""
