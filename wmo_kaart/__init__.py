"""Wmo-kaart: contracted Wmo care providers on an interactive map."""

__version__ = "0.1.0"
