"""Spreadsheets in and out, and UWV reconciliation. Never imports Flask or ``web``."""
