import gzip

import pytest

from kb.parse import ParseError, detect_language, parse_html, parse_text, read_document, strip_boilerplate


def _page(demo_site, article_id):
    article = next(a for a in demo_site.articles if a.id == article_id)
    page = demo_site.get(demo_site.article_url(article).removeprefix(demo_site.base_url))
    assert page.status == 200
    return article, page


@pytest.mark.parametrize("outlet", ["hanbit", "seoultech", "ledger", "zhixin"])
def test_demo_page_parses_to_its_article_without_clutter(demo_site, outlet):
    article = next(a for a in demo_site.articles if a.outlet == outlet)
    _, page = _page(demo_site, article.id)
    encoding = "cp949" if outlet == "hanbit" else "utf-8"
    parsed = parse_html(page.body.decode(encoding), url=demo_site.article_url(article))
    assert parsed.title == article.title
    assert parsed.language == article.language
    assert parsed.published[:10] == article.published[:10]
    first, last = article.paragraphs()[0]["text"], article.paragraphs()[-1]["text"]
    assert first[:30] in parsed.text and last[-30:] in parsed.text
    footer = demo_site.outlets[outlet]["footer"]
    assert footer["address"] not in parsed.text
    assert footer["registration"] not in parsed.text


def test_publication_time_keeps_the_publishers_offset(demo_site):
    article = next(a for a in demo_site.articles if a.outlet == "seoultech")
    _, page = _page(demo_site, article.id)
    parsed = parse_html(page.body.decode("utf-8"))
    assert parsed.published.endswith("+09:00")
    assert parsed.author == article.author


def test_euc_kr_page_decodes_from_its_meta_charset(demo_site, tmp_path):
    article = next(a for a in demo_site.articles if a.outlet == "hanbit")
    _, page = _page(demo_site, article.id)
    path = tmp_path / "page.html"
    path.write_bytes(page.body)
    parsed = read_document(path)
    assert parsed.title == article.title
    assert "\ufffd" not in parsed.text


def test_gzipped_html_is_read(demo_site, tmp_path):
    article = next(a for a in demo_site.articles if a.outlet == "ledger")
    _, page = _page(demo_site, article.id)
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(page.body))
    assert read_document(path).title == article.title


def test_plain_text_loses_its_footer_lines():
    text = "제목\n본문 첫 문장이다.\n본문 둘째 문장이다.\nCopyright ⓒ Metro. All rights reserved.\n발행인 · 편집인 : 홍길동"
    article = parse_text(text)
    assert article.title == "제목"
    assert article.text.endswith("둘째 문장이다.")


def test_copyright_mentioned_mid_article_is_kept():
    text = "First line.\nThe lawsuit is about copyright.\nLast line."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("html", ["", "   ", "<html><body><nav>menu</nav></body></html>"])
def test_page_without_text_is_a_parse_error(html):
    with pytest.raises(ParseError):
        parse_html(html)


@pytest.mark.parametrize(
    "text, language",
    [("오픈AI가 새 모델을 공개했다.", "ko"), ("OpenAI released a new model.", "en"), ("深度求索发布了新模型。", "zh")],
)
def test_language_is_told_by_script(text, language):
    assert detect_language(text) == language
