"""kb events, kb conflicts, kb reference import and kb merge, run as a user runs them."""

import json

from tests.conftest import run_kb
from tests.knowledge_kb import gazetteer_small, litellm_file, newsroom_file  # noqa: F401 - fixtures

R1 = {"type": "model_release", "company": "deepseek", "model": "deepseek-r1", "date": "2025-01-20"}


def test_events_lists_each_event_with_its_reports_first_report_marked(newsroom_file):
    newsroom, path = newsroom_file
    newsroom.publish("zhixin", "2025-01-21T09:30:00+08:00", events=(R1,), title="深度求索发布DeepSeek-R1")
    newsroom.publish("ledger", "2025-01-21T06:40:00-08:00", events=(R1,), title="DeepSeek's R1 arrives")
    newsroom.refresh()
    text = run_kb("events", "--db", str(path))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("2025-01-20  model_release") and "DeepSeek-R1 (DeepSeek)" in lines[0]
    assert lines[1].strip() == "2 report(s), 2 outlet(s): en 1, zh 1"
    assert lines[2].startswith("  * ") and "深度求索发布DeepSeek-R1" in lines[2]
    [event] = json.loads(run_kb("events", "--json", "--db", str(path)).stdout)
    assert [(a["outlet"], a["first"]) for a in event["articles"]] == [("Zhixin", True), ("Ledger", False)]
    assert event["languages"] == {"en": 1, "zh": 1}


def test_events_filters_by_reports_and_answers_a_merged_id(newsroom_file):
    newsroom, path = newsroom_file
    newsroom.publish("ledger", "2025-01-21", events=(R1,))
    newsroom.refresh()
    assert json.loads(run_kb("events", "--json", "--min-reports", "2", "--db", str(path)).stdout) == []
    [event] = json.loads(run_kb("events", "--json", "--db", str(path)).stdout)
    missing = run_kb("events", "no-such-event", "--db", str(path))
    assert missing.returncode == 1 and missing.stderr.strip() == "Error: no event no-such-event"
    assert json.loads(run_kb("events", event["id"], "--json", "--db", str(path)).stdout)[0]["id"] == event["id"]


def test_reference_import_then_conflicts_shows_the_flagged_claim(newsroom_file, tmp_path):
    newsroom, path = newsroom_file
    release = {"type": "model_release", "company": "openai", "model": "o3-mini", "date": "2025-01-31"}
    newsroom.publish("hanbit", "2025-02-03", events=(release,), prices=(("o3-mini", "input", 0.55),))
    newsroom.refresh()
    imported = run_kb("reference", "import", str(litellm_file(tmp_path / "prices.json")), "--as-of", "2025-03-01", "--db", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "as snapshot 1 (as of 2025-03-01)" in imported.stdout and "1 conflicts" in imported.stdout
    [conflict] = json.loads(run_kb("conflicts", "--json", "--db", str(path)).stdout)
    assert (conflict["subject"], conflict["claimed"], conflict["expected"]) == ("o3-mini", "$0.55 per 1M tokens", "$1.10 per 1M tokens")
    assert conflict["explanation"].startswith("matches cached_input")
    text = run_kb("conflicts", "--db", str(path)).stdout
    assert "likely: matches cached_input" in text
    assert run_kb("reference", "--db", str(path)).stdout.split()[:2] == ["1", "2025-03-01"]


def test_a_bad_price_list_is_a_one_line_error(newsroom_file, tmp_path):
    _, path = newsroom_file
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2, 3]")
    result = run_kb("reference", "import", str(bad), "--db", str(path))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "not a LiteLLM price list" in result.stderr


def test_merge_redirects_and_refreshes(newsroom_file):
    newsroom, path = newsroom_file
    newsroom.db["entities"].insert({"id": "new-model-r1", "type": "model", "name": "R-1", "status": "candidate"})
    newsroom.publish("ledger", "2025-01-21", events=(R1,))
    newsroom.publish("wire", "2025-01-21", events=({**R1, "model": "new-model-r1"},))
    newsroom.refresh()
    result = run_kb("merge", "new-model-r1", "deepseek-r1", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Merged new-model-r1 into deepseek-r1: 1 events repointed; new-model-r1 now redirects to deepseek-r1"
    [event] = json.loads(run_kb("events", "--json", "--db", str(path)).stdout)
    assert event["reports"] == 2
    refused = run_kb("merge", "new-model-r1", "deepseek-v3", "--db", str(path))
    assert refused.returncode == 1 and refused.stderr.strip() == "Error: new-model-r1 was already merged into deepseek-r1"


def test_commands_on_a_missing_kb_are_one_line_errors(tmp_path):
    for command in (("events",), ("conflicts",), ("merge", "a", "b")):
        result = run_kb(*command, "--db", str(tmp_path / "missing.db"))
        assert result.returncode == 1 and result.stderr.startswith("Error: no knowledge base at"), command


def test_refresh_updates_what_changed_and_full_recomputes_everything_to_the_same_tables(newsroom_file):
    newsroom, path = newsroom_file
    newsroom.publish("ledger", "2025-01-21", events=(R1,))
    newsroom.refresh()
    newsroom.publish("hanbit", "2025-01-22", events=(R1,))
    newsroom.db.close()
    changed = run_kb("refresh", "--db", str(path))
    assert changed.returncode == 0, changed.stderr
    assert "1 events (1 reported more than once)" in changed.stdout and "updated for 1 changed articles" in changed.stdout
    events = run_kb("events", "--json", "--db", str(path)).stdout
    full = run_kb("refresh", "--full", "--db", str(path))
    assert full.returncode == 0 and "changed articles" not in full.stdout
    assert run_kb("events", "--json", "--db", str(path)).stdout == events
