"""Tables the pages show and the Excel exports write: one definition serves both.

A `Table` has Chinese column headers and rows of plain values (a cell may carry a link for the
page). `xlsx_response(tables, filename)` writes every table of a page as one sheet each with
pandas and openpyxl, with the headers users expect.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

import pandas as pd
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Link:
    text: object
    url: str

    def __str__(self):
        return str(self.text)


@dataclass
class Column:
    key: str
    header: str
    numeric: bool = False
    percent: bool = False


@dataclass
class Table:
    title: str
    columns: list
    rows: list = field(default_factory=list)  # dicts keyed by column key
    note: str = ""
    id: str = ""

    def cells(self):
        """Rows as lists in column order (the template iterates these)."""
        return [[(row.get(c.key), c) for c in self.columns] for row in self.rows]

    def frame(self):
        data = [[_plain(row.get(c.key), c) for c in self.columns] for row in self.rows]
        return pd.DataFrame(data, columns=[str(c.header) for c in self.columns])


def _plain(value, column):
    if isinstance(value, Link):
        value = value.text
    if value is None:
        return None
    if column.percent and isinstance(value, Decimal | float | int):
        return float(value)
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, int | float) else str(value)


def xlsx_response(tables, filename):
    """One sheet per table; percentages formatted as percentages, headers bold and frozen."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        used = set()
        for table in tables:
            sheet = _sheet_name(str(table.title), used)
            table.frame().to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for i, column in enumerate(table.columns, start=1):
                letter = ws.cell(row=1, column=i).column_letter
                ws.column_dimensions[letter].width = max(10, min(40, len(str(column.header)) * 2 + 4))
                if column.percent:
                    for cell in ws[letter][1:]:
                        cell.number_format = "0.0%"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response


def _sheet_name(title, used):
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, each name once."""
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base}{n}"
        n += 1
    used.add(name)
    return name
