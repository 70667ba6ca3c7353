import yaml

from kb.sources import DEFAULT_SOURCES, load_sources, validate_sources
from tests.conftest import run_kb


def test_shipped_sources_file_is_valid_and_has_enabled_outlets_in_both_languages():
    sources = load_sources(DEFAULT_SOURCES)
    enabled = [s for s in sources if s.enabled]
    assert {"ko", "en"} <= {s.language for s in enabled}
    naver = [s for s in sources if "naver" in s.id and "news" in s.id]
    assert naver and not any(s.enabled for s in naver)


def test_each_mistake_is_reported_once_with_its_source():
    records = [
        {"id": "a", "name": "A", "language": "kr", "homepage": "https://a.test", "feeds": ["https://feeds.other.test/a"],
         "allowed_domains": ["a.test"]},
        {"id": "a", "name": "B", "language": "en", "homepage": "https://b.test", "enabled": False},
        {"id": "c", "name": "C", "language": "en", "homepage": "https://c.test", "feeds": [], "article_url": "("},
    ]
    problems = validate_sources(records)
    assert "source a: language must be ko, en or zh, not 'kr'" in problems
    assert "source a: feeds.other.test is not in allowed_domains" in problems
    assert "source a: duplicate id" in problems
    assert "source a: disabled without a 'disabled_reason'" in problems
    assert "source c: enabled but has no feeds or sitemaps" in problems
    assert any(p.startswith("source c: 'article_url' is not a valid regular expression") for p in problems)


def test_sources_check_prints_one_line_per_mistake(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump([{"id": "x", "name": "X", "language": "en", "homepage": "https://x.test"}]))
    result = run_kb("sources", "check", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{path}: source x: enabled but has no feeds or sitemaps"
