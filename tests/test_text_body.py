"""The body of a clipped text or Markdown page: the article stays, the site around it goes.

The fixtures in tests/data/clipped_*.md are our own sentences dressed in the chrome that
real clipped pages carry (menus, bylines, photo credits, related lists, widgets, footers).
"""

import textwrap
from pathlib import Path

import pytest

from kb.parse import parse_text, read_document
from kb.text_body import Kind, classify_line, extract_text_body, strip_credits

DATA = Path(__file__).parent / "data"
REAL_DEV = Path(__file__).parents[1] / ".." / "shared" / "real-dev" / "articles"


def _body(language: str) -> str:
    return extract_text_body((DATA / f"clipped_{language}.md").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- whole pages, per language


def test_english_page_keeps_title_and_every_paragraph():
    body = _body("en")
    assert body.startswith("Nimbus AI halves the price of its Cirrus 3 model\n")
    assert "cut the price of its Cirrus 3 model to $1 per million input tokens" in body
    assert '"We want every startup to be able to afford a frontier model,"' in body
    assert "Rival Stratus Labs charges $3 per million input tokens" in body
    # a closing sentence too short to count as a paragraph is still body
    assert body.endswith("Nimbus AI did not respond to a request for comment.")


@pytest.mark.parametrize(
    "chrome",
    [
        "Sign in",  # menu
        "Dana Whitlock",  # byline
        "Getty",  # photo credit
        "Photonic chips",  # headlines of other stories set into the body
        "Quasar Networks",
        "Follow Example News",  # calls to follow and subscribe
        "inbox",
        "Orbit Robotics",  # related list
        "Helio Motors",  # "More from" list
        "Example Media",  # copyright footer
    ],
)
def test_english_page_loses_its_chrome(chrome):
    assert chrome not in _body("en")


def test_korean_page_keeps_lead_caption_and_a_sentence_about_a_subscription():
    body = _body("ko")
    assert body.startswith("네뷸라AI가 새 언어모델 '오로라 2'를 공개했다.")
    assert "100만 토큰당 입력 1달러, 출력 4달러로 책정됐다" in body
    # "구독" is a widget word on a button, not in a sentence of the article
    assert "개인 사용자를 위한 월 구독료는 2만원으로 정해졌다." in body
    # the caption stays, its credit goes
    assert "*오로라 2와 경쟁 모델의 성능 비교*" in body
    assert body.endswith('"연내 일본과 동남아시아 시장에도 진출하겠다"라고 말했다.')


@pytest.mark.parametrize(
    "chrome", ["사진=", "네뷸라AI 제공", "홍길동", "gildong@", "관련기사", "스텔라랩스", "오르빗로보틱스", "키워드", "#네뷸라AI", "예시뉴스", "https://"]
)
def test_korean_page_loses_its_chrome(chrome):
    assert chrome not in _body("ko")


def test_chinese_page_keeps_title_body_and_caption():
    body = _body("zh")
    assert body.startswith("# 星云智能发布新一代大模型，价格下调七成\n")
    assert "正式推出新一代大模型「星河 3」" in body
    assert "输入价格为每百万 tokens 2 元" in body
    assert "星云智能 CEO 李明\n" in body
    # "公众号" is a widget word on a button, not in a sentence of the article
    assert body.endswith("该公司还表示，将在其微信公众号上公布更多技术细节。")


@pytest.mark.parametrize(
    "chrome", ["张三", "极客示例", "视觉中国", "头图", "转载", "热点视频", "银河科技", "更多阅读", "微信扫一扫", "收藏", "cover_image"]
)
def test_chinese_page_loses_its_chrome(chrome):
    assert chrome not in _body("zh")


# ---------------------------------------------------------------- the mechanisms, one by one


@pytest.mark.parametrize(
    "line, kind",
    [
        ("", Kind.BLANK),
        ("![](https://example.com/a.png)", Kind.IMAGE),
        ("관련기사", Kind.MARKER),
        ("**更多阅读**", Kind.MARKER),
        ("More from The Example", Kind.MARKER),
        ("Latest in Artificial Intelligence", Kind.MARKER),
        ("홍길동 기자 gildong@example.kr", Kind.CHROME),
        ("By Jane Doe", Kind.CHROME),
        ("(Image credit: Getty Images)", Kind.CHROME),
        ("\\*图片来源：视觉中国", Kind.CHROME),
        ("저작권자 © 예시뉴스 무단전재 및 재배포 금지", Kind.CHROME),
        ("- [다른 회사, 새 모델 출시](https://example.kr/news/1)", Kind.CHROME),
        ("NEWS REVIEWS DEALS", Kind.CHROME),
        ("Example Close Example Posts from this topic will be added to your daily email digest.", Kind.CHROME),
        ("微信扫一扫", Kind.CHROME),
        ("Subscribe to our newsletter", Kind.CHROME),
        ("Reporting by Jane Roe in Seoul; Editing by John Doe", Kind.CHROME),
        ("By 2030, the firm expects to sign up a million users.", Kind.SHORT),
        ("Comments from the company were not available.", Kind.SHORT),
        ("热门应用 ChatGPT 的用户数达到 2 亿。", Kind.SHORT),
        ("Users can now log in with their company account.", Kind.SHORT),
        ("OpenAI 在其微信公众号上宣布了这一消息。", Kind.SHORT),
        ("A lawsuit says the startup used novels without authorisation.", Kind.SHORT),
        (
            "The company said on Monday that it had raised $450 million in a funding round led by two venture firms.",
            Kind.PROSE,
        ),
        ("오픈AI는 3일 새 추론 모델을 공개하고 개발자용 API 가격을 절반으로 내린다고 밝혔다. 회사는 성능도 높였다고 설명했다.", Kind.PROSE),
        ("深度求索周一发布了新一代推理模型，并宣布将 API 价格下调一半，以吸引更多企业开发者使用。", Kind.PROSE),
    ],
)
def test_line_kinds(line, kind):
    assert classify_line(line) is kind


@pytest.mark.parametrize(
    "line, cleaned",
    [
        ("구글이 새 모델을 공개했다. (사진=구글)", "구글이 새 모델을 공개했다."),
        ("LS일렉트릭 청주 공장 전경 /한경DB", "LS일렉트릭 청주 공장 전경"),
        ("*SK 데이터센터 전경. 예시통신*", "*SK 데이터센터 전경.*"),
        ("March 10 (Reuters) - Oracle on Tuesday predicted higher revenue.", "Oracle on Tuesday predicted higher revenue."),
        ("(서울=뉴스1) 홍길동 기자 = 특별법이 통과됐다.", "특별법이 통과됐다."),
        ("The lab in London. Photograph: Jane Doe/Reuters The company said", "The lab in London.  The company said"),
        ("Share Save Add as preferred on Google For years, prices fell.", "For years, prices fell."),
        ("李明｜图片来源：视觉中国", "李明"),
        ("*한국 기업들의 전력 수요 전망. \\[AI 이미지 생성\\]*", "*한국 기업들의 전력 수요 전망.*"),
        ("[서울=예시통신] 새 모델이 나왔다.", "새 모델이 나왔다."),
        ("示例网 4 月 15 日消息，星云智能发布新模型。", "4 月 15 日消息，星云智能发布新模型。"),
        ("OpenAI 5 月 13 日发布了新模型。", "OpenAI 5 月 13 日发布了新模型。"),
        ("*SK 데이터센터 전경. 예시통신* SK 그룹이 지분을 판다.", "*SK 데이터센터 전경.* SK 그룹이 지분을 판다."),
        ("for ChatGPT. (Jane Roe/Reuters) Apple said", "for ChatGPT. Apple said"),
        ("A logo seen in an illustration. REUTERS/Jane Roe/Illustration/File Photo", "A logo seen in an illustration."),
        ("The stack runs over TCP/IP", "The stack runs over TCP/IP"),
        # slashes and emphasis that are not credits
        ("the (OpenAI/Microsoft) deal", "the (OpenAI/Microsoft) deal"),
        ("**그는 말했다. 정말 놀랍다** 이어", "**그는 말했다. 정말 놀랍다** 이어"),
        ("It rose 10/20 in the test, and/or more.", "It rose 10/20 in the test, and/or more."),
    ],
)
def test_credits_are_cut_out_of_the_line_they_run_into(line, cleaned):
    assert strip_credits(line).strip() == cleaned


def _paragraph(n: int) -> str:
    return (
        f"Paragraph {n} of the article says that the company behind the model has cut its prices again, "
        "and that its rivals are expected to follow within a few weeks."
    )


def test_related_box_inside_the_body_does_not_cut_the_lead():
    text = "\n".join(
        ["A title", _paragraph(1), _paragraph(2), "Related Stories", "Another studio signs a deal with a streaming service"]
        + [_paragraph(n) for n in range(3, 8)]
    )
    body = extract_text_body(text)
    assert all(_paragraph(n) in body for n in range(1, 8))
    assert "Related Stories" not in body and "streaming service" not in body


def test_related_box_in_the_middle_does_not_cut_the_second_half():
    text = "\n".join(
        ["A title"]
        + [_paragraph(n) for n in range(1, 5)]
        + ["More for you", "Another studio signs a deal with a streaming service"]
        + [_paragraph(n) for n in range(5, 9)]
    )
    body = extract_text_body(text)
    assert all(_paragraph(n) in body for n in range(1, 9))
    assert "streaming service" not in body


def test_related_list_at_the_end_cuts_the_stories_under_it():
    teasers = [f"Story {n} is about a company that makes robots, and this summary of it is long enough to read as prose." for n in range(4)]
    text = "\n".join(["A title"] + [_paragraph(n) for n in range(1, 7)] + ["관련기사", "- 다른 회사 소식"] + teasers)
    body = extract_text_body(text)
    assert _paragraph(6) in body and "Story" not in body


def test_teaser_cards_after_the_body_are_dropped():
    cards = [
        "Orbit Robotics is trying hard to convince investors it has no debt problem",
        "It has new metrics to calm fears about its spending.",
        "Helio Motors earnings top estimates as the recall ends",
        "The company posted its results on Wednesday after the bell.",
    ]
    text = "\n".join(["A title"] + [_paragraph(n) for n in range(1, 7)] + cards)
    body = extract_text_body(text)
    assert _paragraph(6) in body
    assert "Orbit Robotics" not in body and "Helio Motors" not in body


def test_long_stretch_of_comments_after_the_footer_is_not_body():
    comments = [f"Commenter {n} thinks that the real buyer was a bank and that the report got the story wrong." for n in range(3)]
    menu = [f"Section {n}" for n in range(8)]
    text = "\n".join(["A title"] + [_paragraph(n) for n in range(1, 8)] + menu + comments)
    body = extract_text_body(text)
    assert _paragraph(7) in body and "Commenter" not in body


def test_title_loses_the_navigation_it_runs_into():
    text = "\n".join(["Nimbus AI halves its prices Skip Navigation Markets Tech"] + [_paragraph(n) for n in range(1, 4)])
    assert extract_text_body(text).split("\n")[0] == "Nimbus AI halves its prices"


def test_subtitles_between_title_and_body_are_kept_but_a_byline_is_not():
    text = "\n".join(
        ["새 모델 공개", "가격은 절반으로", "경쟁사도 인하 검토", "예시뉴스 홍길동 기자"]
        + [
            "네뷸라AI는 3일 새 언어모델을 공개하고 개발자용 API 가격을 절반으로 내린다고 밝혔다. 회사는 성능도 높였다고 설명했다.",
            "경쟁사인 스텔라랩스도 가격 인하를 검토하고 있는 것으로 알려졌다. 업계에서는 가격 경쟁이 본격화할 것으로 보고 있다.",
        ]
    )
    body = extract_text_body(text)
    assert "홍길동" not in body
    text = text.replace("예시뉴스 홍길동 기자\n", "")
    body = extract_text_body(text)
    assert body.startswith("새 모델 공개\n\n가격은 절반으로\n경쟁사도 인하 검토\n")


def test_hard_wrapped_text_is_kept_whole():
    paragraphs = [textwrap.fill(_paragraph(n) + " " + _paragraph(n + 10), 72) for n in range(1, 6)]
    text = "A title\n\n" + "\n\n".join(paragraphs)
    assert extract_text_body(text) == text


def test_text_without_prose_is_kept_whole():
    text = "제목\n본문 첫 문장이다.\n본문 둘째 문장이다."
    assert extract_text_body(text) == text


# ---------------------------------------------------------------- through parse_text


def test_parse_text_gives_the_body_as_article_text():
    article = parse_text((DATA / "clipped_ko.md").read_text(encoding="utf-8"))
    assert article.title == "네뷸라AI가 새 언어모델 '오로라 2'를 공개했다."
    assert article.language == "ko"
    assert "오르빗로보틱스" not in article.text
    start = article.text.index("김하늘 네뷸라AI 대표")
    assert article.text[start : start + 3] == "김하늘"


def test_read_document_reads_a_clipped_text_file(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text((DATA / "clipped_en.md").read_text(encoding="utf-8"), encoding="utf-8")
    article = read_document(path)
    assert article.title == "Nimbus AI halves the price of its Cirrus 3 model"
    assert "Helio Motors" not in article.text


# ---------------------------------------------------------------- real clipped pages, when present


def _real_articles() -> list[Path]:
    return sorted(REAL_DEV.glob("*.txt")) if REAL_DEV.is_dir() else []


@pytest.mark.skipif(not _real_articles(), reason="../shared/real-dev/articles is not on this machine")
def test_real_pages_lose_related_lists_and_reporter_addresses():
    for path in _real_articles():
        text = read_document(path).text
        lines = [line.strip(" *#") for line in text.splitlines()]
        assert not {"관련기사", "相关阅读", "更多阅读", "키워드"} & set(lines), path.name
        assert "@aitimes.com" not in text, path.name
        assert len(text) >= 100, path.name
