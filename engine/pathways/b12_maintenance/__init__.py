"""The B12 maintenance pathway, after a loading course.

A guideline author reads the rulebook (rules.py: the questions, the rules, their wording and evidence); the
regimens' doses, intervals and sentences are in regimens.py; what an outcome does to the plan and how the
result is assembled is in mechanics.py.
"""

from engine.pathways.b12_maintenance.rules import PATHWAY

__all__ = ["PATHWAY"]
