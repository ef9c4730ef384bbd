"""Serum B12 unit conversion."""

import pytest

from engine.pathways.b12_units import b12_to_pg_per_ml, b12_to_pmol_per_l


def test_the_source_value_converts_to_614_pg_per_ml():
    assert round(b12_to_pg_per_ml(453, "pmol/L")) == 614


@pytest.mark.parametrize("unit", ["pg/mL", "ng/L"])
def test_pg_per_ml_and_ng_per_l_are_the_same_number(unit):
    assert b12_to_pmol_per_l(1355, unit) == pytest.approx(1000)
    assert b12_to_pg_per_ml(350, unit) == pytest.approx(350)


def test_pmol_per_l_round_trips():
    assert b12_to_pmol_per_l(b12_to_pg_per_ml(200, "pmol/L"), "pg/mL") == pytest.approx(200)


def test_an_unknown_unit_is_refused_with_the_units_named():
    with pytest.raises(ValueError, match="ng/L, pmol/L, pg/mL"):
        b12_to_pmol_per_l(1, "mg/dL")
