"""Calendar-month date arithmetic for dated schedules."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(anchor: date, months: int) -> date:
    """Return ``anchor`` plus ``months`` calendar months.

    A day that does not exist in the target month falls to that month's last
    day (31 January + 1 month = 28 or 29 February), the usual clinical reading
    of "in N months".
    """
    month_index = anchor.month - 1 + months
    year = anchor.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(anchor.day, last_day))
