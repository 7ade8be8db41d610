"""Import provider locations from spreadsheets (CSV and XLSX) as Dutch offices make them."""

from .convert import ImportReport, RowError, convert_rows
from .read import SpreadsheetError, read_table

__all__ = ["ImportReport", "RowError", "SpreadsheetError", "convert_rows", "read_table"]
