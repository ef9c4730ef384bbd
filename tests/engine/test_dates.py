"""Calendar-month arithmetic."""

from datetime import date

import pytest

from engine.dates import add_months


@pytest.mark.parametrize(
    ("anchor", "months", "expected"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 31), 1, date(2026, 1, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2025, 1, 31), 18, date(2026, 7, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_short_month(anchor, months, expected):
    assert add_months(anchor, months) == expected
