from datetime import date

import pytest

from kb.extract.dates import find_dates

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
