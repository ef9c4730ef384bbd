"""The B12 loading pathway: the initial course of hydroxocobalamin injections, and a check of a course already given.

A guideline author reads the rulebook (rules.py: the questions, the rules, their wording and evidence); the
courses' numbers and sentences are in regimens.py; what the course outcome does to the plan and how the result
is assembled is in mechanics.py.
"""

from engine.pathways.b12_loading.rules import PATHWAY

__all__ = ["PATHWAY"]
