import pytest

from lawenforce.numerals import chinese_number


@pytest.mark.parametrize(
    "n, text",
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (63, "六十三"), (100, "一百"), (108, "一百零八"),
     (124, "一百二十四"), (1001, "一千零一"), (1010, "一千零一十")],
)
def test_article_numbers_are_written_as_in_statutes(n, text):
    assert chinese_number(n) == text
