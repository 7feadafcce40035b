import pytest

from submissions.spreadsheets import spreadsheet_safe


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_spreadsheet_safe_quotes_text_that_could_start_a_formula(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Clean air", "", "a=b", 5, -3, 2.5, None, True])
def test_spreadsheet_safe_leaves_other_values_alone(value):
    assert spreadsheet_safe(value) == value
