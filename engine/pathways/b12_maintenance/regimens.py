"""The regimens of the maintenance pathway in numbers and words: doses, intervals, the licence's limits and the
sentences the regimen is written in.

Each is written once here and read both by the rulebook (rules.py: what a rule's "then" says) and by the
mechanics that assemble the result (mechanics.py: the regimen's summary and details, the schedule), so the
decision table and the answer cannot word one regimen two ways.
"""

from __future__ import annotations

HYDROXOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DIETARY_RANGE = (1000, 2000)  # the source's range for a dietary cause
STANDARD_MONTHS = 3
STANDARD_INTERVAL_RANGE = (2, 3)  # the licence's maintenance range
LICENSED_SHORTEST_MONTHS = 2  # the UK licence gives maintenance every 2 to 3 months, never monthly
SCHEDULED_INJECTIONS = 6
ALTERNATE_DAY_INJECTIONS_SHOWN = 7
SPECIALIST_REVIEW_DAYS = 14
INTERVALS = (1, 2, 3)


def months_text(n: int) -> str:
    """ "month" or "3 months": the span of an interval, as a sentence uses it."""
    return "month" if n == 1 else f"{n} months"


def every(n: int) -> str:
    return f"every {months_text(n)}"


# The licence's range of maintenance intervals, as the regimen and the cautions word it.
LICENSED_RANGE = f"every {STANDARD_INTERVAL_RANGE[0]} to {STANDARD_INTERVAL_RANGE[1]} months"
WHILE_IMPROVING = "on alternate days for as long as the symptoms improve"
FOR_LIFE = "For life: do not stop, even when levels normalise"
NOT_FOR_LIFE = "Not for life: review whether the cause has resolved, and consider stopping or reducing then"
ORAL_COURSES = {
    "dietary": f"Cyanocobalamin {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily while dietary intake "
    "stays inadequate",
    "medicines": f"Cyanocobalamin at least {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily while the "
    "medicine that caused the deficiency continues",
    "continued": f"Continue cyanocobalamin, at least {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily",
}
