"""The per-rule harness fails a rule that does not keep its promises (it is what every pathway's rules pass)."""

from __future__ import annotations

import pytest

import engine
from tests.pathways.b12_maintenance.patients import patient
from tests.pathways.rule_harness import check_rule

PATHWAY = "b12-maintenance"
RULES = {rule["id"]: rule for pathway in engine.pathways() if pathway["id"] == PATHWAY for rule in pathway["rules"]}
PA = patient(cause="pernicious_anaemia")
DIETARY = patient(cause="dietary")


def test_a_rule_that_keeps_its_promises_passes():
    check_rule(PATHWAY, RULES["im-malabsorption"], (PA, lambda r: r["regimen"]["route"] == "intramuscular", DIETARY))


@pytest.mark.parametrize(("rule", "case", "complaint"), [
    ({**RULES["im-malabsorption"]}, (DIETARY, lambda r: True, None), "fires 0 times"),
    ({**RULES["im-malabsorption"]}, (PA, lambda r: False, None), "outcome it promises"),
    ({**RULES["im-malabsorption"]}, (PA, lambda r: True, PA), "fires on the case it is not for"),
    ({**RULES["im-malabsorption"], "basis": "policy"}, (PA, lambda r: True, None), "basis"),
    ({**RULES["im-malabsorption"], "references": ["other"]}, (PA, lambda r: True, None), "references"),
    ({**RULES["im-malabsorption"], "evidence": {"status": "agrees"}}, (PA, lambda r: True, None), "evidence"),
])
def test_a_rule_that_breaks_one_is_failed(rule, case, complaint):
    with pytest.raises(AssertionError, match=complaint):
        check_rule(PATHWAY, rule, case)
