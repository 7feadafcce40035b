"""Cells that are safe to open in a spreadsheet.

A city writes the text of its entry; the Secretariat and the public open it in Excel
or LibreOffice. Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be read as a formula there (``=HYPERLINK(...)``, DDE payloads). Every
export writer (the Secretariat's CSV and XLSX, the statistics downloads, the public
open-data CSV) passes its cells through ``spreadsheet_safe``.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as text a spreadsheet shows as text: a string that could start a
    formula gets a leading apostrophe (the spreadsheets' own "this is text" mark);
    numbers, dates, booleans and other strings are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
