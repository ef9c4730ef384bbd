"""The per-rule harness fails a rule that does not keep its promises (it is what every pathway's rules pass)."""

from __future__ import annotations

import pytest

from tests.pathways.b12_maintenance.patients import patient
from tests.pathways.rule_harness import check_every_rule_has_a_case, check_rule, published_rules

PATHWAY = "b12-maintenance"
RULES = published_rules(PATHWAY)
PA = patient(cause="pernicious_anaemia")
DIETARY = patient(cause="dietary")


def test_a_rule_that_keeps_its_promises_passes():
    check_rule(PATHWAY, "im-malabsorption", (PA, lambda r: r["regimen"]["route"] == "intramuscular", DIETARY))


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
        check_rule(PATHWAY, "im-malabsorption", case, rule)


def test_a_rule_without_a_case_is_found():
    cases = dict.fromkeys(RULES, (PA, lambda r: True, None))
    check_every_rule_has_a_case(PATHWAY, cases)
    del cases["im-malabsorption"]
    with pytest.raises(AssertionError):
        check_every_rule_has_a_case(PATHWAY, cases)
