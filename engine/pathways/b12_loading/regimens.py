"""The loading courses in numbers and words: how many injections over how long, the licence's weekly phase, and
the sentences a course is written in.

Each is written once here and read both by the rulebook (rules.py: what a rule's "then" and its cautions say)
and by the mechanics that assemble the result (mechanics.py: the course's summary and details, the schedule).
"""

from __future__ import annotations

from engine.pathways.b12_shared import INJECTION

# The loading course of UK practice (BNF): 1 mg 3 times a week for 2 weeks (6 injections), within the licence's
# first phase, "on alternate days for one or two weeks"; the licence then gives 250 micrograms weekly until the
# blood count is normal, which UK practice's course does not replace.
LOADING_INJECTIONS = 6
LOADING_WEEKS = 2
LOADING_DAYS = (0, 2, 4, 7, 9, 11)  # 3 a week: Monday, Wednesday, Friday from the first injection
BLOOD_COUNT_CHECK_DAY = 7 * LOADING_WEEKS  # the end of the 2 weeks: normal, or the weekly phase goes on
ALTERNATE_DAYS_SHOWN = 7  # with neurological involvement: alternate days, the first two weeks dated
REVIEW_AFTER_DAYS = 14
MAINTENANCE_MONTHS = {"standard": 3, "neurological": 2}

# The licence's second phase, after the alternate days: what a course is "then" in every sentence that says so.
WEEKLY_PHASE = "250 micrograms weekly until the blood count is normal"
THEN_WEEKLY = f"then {WEEKLY_PHASE} (the licence), then maintenance"
SUMMARIES = {
    "standard": f"{INJECTION} 3 times a week for {LOADING_WEEKS} weeks ({LOADING_INJECTIONS} injections), then "
    f"{WEEKLY_PHASE}, then maintenance",
    "neurological": f"{INJECTION} on alternate days until there is no further improvement, then every 2 months",
}
