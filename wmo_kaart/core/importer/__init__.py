"""Import provider locations from spreadsheets (CSV and XLSX) as Dutch offices make them."""

from .convert import ImportReport, RowError, read_rows
from .read import SpreadsheetError, read_workbook

__all__ = ["ImportReport", "RowError", "SpreadsheetError", "read_rows", "read_workbook"]
