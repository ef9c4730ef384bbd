"""The reference registry: the source's list, honestly incomplete, and the primary sources."""

import engine
from engine.pathways import PATHWAYS


def test_contract_keys_are_present_for_every_reference():
    # The B12 pathways' references are in the source's list or the primary sources; another pathway (one that
    # `python build.py new-pathway` added) has groups of its own.
    b12 = {reference.key for pathway_id in ("b12-loading", "b12-maintenance")
           for reference in PATHWAYS[pathway_id].references}
    for key, reference in engine.references().items():
        assert reference["key"] == key
        assert {"key", "authors", "title", "source", "year"} <= set(reference)
        assert key not in b12 or reference["group"] in {"source", "primary"}
    assert b12 <= set(engine.references())


def test_the_source_list_follows_its_numbering():
    references = engine.references()
    assert [references[f"src{n}"]["number"] for n in range(1, 9)] == list(range(1, 9))
    assert references["src3"]["title"] == "Vitamin B12 Replacement Therapy"


def test_references_6_to_8_are_not_invented():
    references = engine.references()
    for n in (6, 7, 8):
        entry = references[f"src{n}"]
        assert entry["listed_in_source"] is False
        assert entry["title"] == "Not listed in the source document"
        assert entry["authors"] is None and entry["year"] is None and "url" not in entry
        assert entry["see_also"] and all(references[key]["group"] == "primary" for key in entry["see_also"])
    assert all(references[f"src{n}"]["listed_in_source"] for n in range(1, 6))


def test_reference_5_is_the_afp_review():
    references = engine.references()
    assert references["src5"]["pmid"] == references["afp-2017"]["pmid"] == "28925645"
    assert references["src5"]["authors"] == references["afp-2017"]["authors"] == "Langan RC, Goodbred AJ"


def test_primary_sources_are_all_there_with_their_verification():
    primary = {key: ref for key, ref in engine.references().items() if ref["group"] == "primary"}
    assert set(primary) == {"nice-ng239", "nice-ng239-bmj", "nice-ng239-sps", "nice-ng239-nasgp", "nice-cks-b12",
                            "smpc-cobalin-h", "smpc-neo-cytamen", "smpc-orobalin", "smpc-cyanocobalamin-50",
                            "bomss-2020", "bmj-2019-sukumar", "bnf-hydroxocobalamin", "bsh-2014", "afp-2017",
                            "cochrane-2018", "battat-2014", "folic-acid-smpc", "stabler-2013", "nice-ng239-draft",
                            "meht-chuft-b12"}
    assert primary["bnf-hydroxocobalamin"]["verification"] == "secondary"
    assert "September 2018" in primary["bnf-hydroxocobalamin"]["note"]
    assert primary["nice-ng239-bmj"]["title"] == "Vitamin B12 deficiency: NICE guideline summary"
    # What is known only from a summary says so.
    assert {key for key, ref in primary.items() if ref["verification"] == "secondary"} == {
        "bnf-hydroxocobalamin", "nice-ng239-sps", "nice-ng239-nasgp", "nice-cks-b12", "meht-chuft-b12"}
    assert primary["bsh-2014"]["doi"] == "10.1111/bjh.12959"
