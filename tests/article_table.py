"""The article's step table as the tests expect it, and a reader for the HTML table core builds.

Shared by the core tests of the table and the AppTest / browser tests of the step-table page.
"""

from __future__ import annotations

from html.parser import HTMLParser

# The article's run (x = 1, y = 4, a = 3, b = 4, lr = 0.1) in full float64 ...
ARTICLE_ROWS = [
    ("0", "3.0000", "4.0000", "7.0000", "3.0000", "6.0000", "6.0000", "9.0000"),
    ("1", "2.4000", "3.4000", "5.8000", "1.8000", "3.6000", "3.6000", "3.2400"),
    ("2", "2.0400", "3.0400", "5.0800", "1.0800", "2.1600", "2.1600", "1.1664"),
    ("3", "1.8240", "2.8240", "4.6480", "0.6480", "1.2960", "1.2960", "0.4199"),
    ("4", "1.6944", "2.6944", "4.3888", "0.3888", "0.7776", "0.7776", "0.1512"),
    ("5", "1.6166", "2.6166", "4.2333", "0.2333", "0.4666", "0.4666", "0.0544"),
]
# ... and by hand (a, b rounded to 4 decimals after each update): the article's own row 5.
HAND_ROW_5 = ("5", "1.6166", "2.6166", "4.2332", "0.2332", "0.4664", "0.4664", "0.0544")
HEADERS = ("Step", "a", "b", "y_pred", "error", "grad ∂a", "grad ∂b", "Loss")


class TableReader(HTMLParser):
    """Reads the body rows, header cells and classes of the table core builds."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.row_classes: list[str] = []
        self.header_styles: list[str] = []
        self.note = ""
        self._section = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.rows.append([])
            self.row_classes.append(attributes.get("class") or "")
        elif tag in ("th", "td"):
            self._cell = []
            if self._section == "thead":
                self.header_styles.append(attributes.get("style") or "")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell)
            if self._section == "thead":
                self.headers.append(text)
            elif self._section == "tbody":
                self.rows[-1].append(text)
            else:
                self.note = text
            self._cell = None


def read_html(markup: str) -> TableReader:
    reader = TableReader()
    reader.feed(markup)
    return reader
