"""Entity merges: a candidate found to be a known entity keeps its history and redirects."""

import re

import pytest

from kb.knowledge.clusters import resolve_event
from kb.knowledge.merge import MergeError, merge_entities, resolve_entity
from tests.knowledge_kb import gazetteer_small, newsroom  # noqa: F401 - fixtures

CANDIDATE = "new-model-deepseek-reasoner"


@pytest.fixture
def candidate(newsroom):
    """An outlet named R1 by its API name before anyone knew: a candidate model with its own facts."""
    newsroom.db["entities"].insert({"id": CANDIDATE, "type": "model", "name": "DeepSeek Reasoner", "kind": "candidate",
                                    "developer_id": "deepseek", "status": "candidate"})
    newsroom.db["aliases"].insert({"entity_id": CANDIDATE, "alias": "DeepSeek Reasoner", "language": None})
    return CANDIDATE


def _release(model):
    return {"type": "model_release", "company": "deepseek", "model": model, "date": "2025-01-20"}


def test_merge_points_every_fact_at_the_known_entity_and_keeps_the_old_row(newsroom, candidate):
    article = newsroom.publish("wire", "2025-01-21", events=(_release(candidate),), prices=((candidate, "input", 0.55),))
    merge_entities(newsroom.db, candidate, "deepseek-r1", reason="the API name of R1")
    assert [r["model_id"] for r in newsroom.db["prices"].rows_where("article_id = ?", [article])] == ["deepseek-r1"]
    assert [r["model_id"] for r in newsroom.db["events"].rows_where("article_id = ?", [article])] == ["deepseek-r1"]
    old = newsroom.db["entities"].get(candidate)
    assert old["status"] == "merged"  # kept, not deleted
    assert {r["alias"] for r in newsroom.db["aliases"].rows_where("entity_id = 'deepseek-r1'")} >= {"DeepSeek Reasoner"}
    [redirect] = newsroom.db["entity_redirects"].rows
    assert (redirect["old_id"], redirect["new_id"], redirect["reason"]) == (candidate, "deepseek-r1", "the API name of R1")


def test_a_merge_survives_re_extraction(newsroom, candidate):
    url = "https://wire.test/r1"
    newsroom.publish("wire", "2025-01-21", url=url, prices=((candidate, "input", 0.55),))
    merge_entities(newsroom.db, candidate, "deepseek-r1")
    # the extractor does not know about merges: a new revision names the candidate again
    newsroom.publish("wire", "2025-01-21", url=url, note="updated", prices=((candidate, "input", 0.55),))
    newsroom.refresh()
    assert {r["model_id"] for r in newsroom.db["prices"].rows} == {"deepseek-r1"}


def test_merged_entities_make_one_event_and_the_old_event_id_redirects(newsroom, candidate):
    newsroom.publish("ledger", "2025-01-21", events=(_release("deepseek-r1"),))
    newsroom.publish("wire", "2025-01-21", events=(_release(candidate),))
    newsroom.refresh()
    ids = {row["model_id"]: row["id"] for row in newsroom.clusters()}
    merge_entities(newsroom.db, candidate, "deepseek-r1")
    newsroom.refresh()
    [event] = newsroom.clusters()
    assert event["reports"] == 2 and event["id"] == ids["deepseek-r1"]
    assert resolve_event(newsroom.db, ids[candidate]) == ids["deepseek-r1"]


def test_redirects_follow_chains(newsroom, candidate):
    newsroom.db["entities"].insert({"id": "new-model-r1-preview", "type": "model", "name": "R1 preview", "status": "candidate"})
    merge_entities(newsroom.db, "new-model-r1-preview", candidate)
    merge_entities(newsroom.db, candidate, "deepseek-r1")
    assert resolve_entity(newsroom.db, "new-model-r1-preview") == "deepseek-r1"


@pytest.mark.parametrize("old, new, message", [
    ("no-such-model", "deepseek-r1", "no entity with id no-such-model"),
    ("deepseek-r1", "deepseek-r1", "into itself"),
    ("deepseek", "deepseek-r1", "cannot merge deepseek (company) into deepseek-r1 (model)"),
])
def test_merges_that_would_tangle_history_are_refused(newsroom, old, new, message):
    with pytest.raises(MergeError, match=re.escape(message)):
        merge_entities(newsroom.db, old, new)


def test_an_entity_is_merged_once(newsroom, candidate):
    merge_entities(newsroom.db, candidate, "deepseek-r1")
    with pytest.raises(MergeError, match="already merged into deepseek-r1"):
        merge_entities(newsroom.db, candidate, "deepseek-v3")
    with pytest.raises(MergeError, match="merge into that instead"):
        merge_entities(newsroom.db, "deepseek-v3", candidate)
