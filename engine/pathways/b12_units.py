"""Unit conversion for serum vitamin B12 (pmol/L, pg/mL, ng/L)."""

from __future__ import annotations

# 1 pmol/L of cobalamin (molar mass about 1355 g/mol) is 1.355 pg/mL; ng/L is pg/mL.
PG_PER_ML_PER_PMOL_PER_L = 1.355

B12_UNITS = ("ng/L", "pmol/L", "pg/mL")  # ng/L first: what UK laboratories report


def b12_to_pmol_per_l(value: float, unit: str) -> float:
    """Convert a serum B12 value in ``unit`` to pmol/L."""
    if unit == "pmol/L":
        return float(value)
    if unit in ("pg/mL", "ng/L"):
        return value / PG_PER_ML_PER_PMOL_PER_L
    raise ValueError(f"unknown serum B12 unit {unit!r}; expected one of {', '.join(B12_UNITS)}")


def b12_to_pg_per_ml(value: float, unit: str) -> float:
    """Convert a serum B12 value in ``unit`` to pg/mL (the same number as ng/L)."""
    return b12_to_pmol_per_l(value, unit) * PG_PER_ML_PER_PMOL_PER_L
