from datetime import date

import pytest

from kb.extract.dates import coarse_times, find_dates

PUBLISHED = date(2025, 2, 3)  # a Monday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("지난 31일(현지시간) 공개했다", date(2025, 1, 31)),
        ("3일 업계에 따르면", date(2025, 2, 3)),
        ("이날 발표했다", date(2025, 2, 3)),
        ("어제 밝혔다", date(2025, 2, 2)),
        ("지난달 20일 출시된", date(2025, 1, 20)),
        ("올해 3월 5일", date(2025, 3, 5)),
        ("2024년 12월 5일", date(2024, 12, 5)),
        ("released on Friday", date(2025, 1, 31)),
        ("on Jan. 31, 2025", date(2025, 1, 31)),
        ("yesterday", date(2025, 2, 2)),
        ("DeepSeek于1月20日发布", date(2025, 1, 20)),
        ("今天", date(2025, 2, 3)),
    ],
)
def test_dates_resolve_against_the_publication_date(text, expected):
    assert [d.date for d in find_dates(text, PUBLISHED)][0] == expected


def test_relative_date_without_publication_date_stays_unresolved():
    assert find_dates("지난 31일 공개했다", None)[0].date is None


def test_absolute_date_needs_no_publication_date():
    assert find_dates("on January 31, 2025", None)[0].date == date(2025, 1, 31)


FRIDAY = date(2025, 1, 17)  # a Friday


@pytest.mark.parametrize(
    "text, published, expected",
    [
        # weekdays in three languages: the last such day on or before publication
        ("周四，该公司发布了新模型", FRIDAY, date(2025, 1, 16)),
        ("The company released it on Tuesday", FRIDAY, date(2025, 1, 14)),
        ("지난 화요일 공개됐다", FRIDAY, date(2025, 1, 14)),
        # Chinese dates as the wire services space them
        ("1 月 15 日消息，该公司发布了新模型", FRIDAY, date(2025, 1, 15)),
        ("2024 年 11 月 30 日，该模型上线", FRIDAY, date(2024, 11, 30)),
        ("7 月 24 日，甲公司开放内测；26 日，乙公司上线新功能", date(2024, 7, 27), date(2024, 7, 24)),
        ("今年1月10日，该公司发布了新模型", FRIDAY, date(2025, 1, 10)),
        ("几个小时前，该公司发布了新模型", FRIDAY, FRIDAY),
        ("a few hours ago the lab released it", FRIDAY, FRIDAY),
    ],
)
def test_relative_dates_in_three_languages(text, published, expected):
    assert [d.date for d in find_dates(text, published) if d.date][0] == expected


def test_a_bare_chinese_day_takes_the_month_of_publication():
    dates = [d.date for d in find_dates("7 月 24 日，甲公司开放内测；26 日，乙公司上线新功能", date(2024, 7, 27))]
    assert dates == [date(2024, 7, 24), date(2024, 7, 26)]


def test_today_after_a_wire_dateline_is_the_dateline_day():
    # filed on the 1st, posted on the 2nd: "今天" is the 1st
    dates = [d.date for d in find_dates("2 月 1 日消息，该公司今天推出了新模型", date(2025, 2, 2))]
    assert dates == [date(2025, 2, 1), date(2025, 2, 1)]


def test_that_day_is_the_day_last_named():
    dates = [d.date for d in find_dates("회사는 지난 31일(현지시간) 신모델을 공개했다. 이날 주가도 올랐다.", PUBLISHED)]
    assert dates == [date(2025, 1, 31), date(2025, 1, 31)]


@pytest.mark.parametrize("text", ["this week", "이번 주", "本周", "3 日内完成", "12일 동안"])
def test_a_week_or_a_duration_is_not_a_day(text):
    assert not [d for d in find_dates(text, PUBLISHED) if d.date]


@pytest.mark.parametrize("text", ["on Tuesday", "周四", "지난 31일", "今天", "이날"])
def test_without_a_publication_date_relative_days_stay_unknown(text):
    assert all(d.date is None for d in find_dates(text, None))


@pytest.mark.parametrize("text", ["It shipped the model back in the summer.", "The lab released it during the fall."])
def test_a_season_with_its_article_is_a_coarse_time(text):
    assert coarse_times(text)
