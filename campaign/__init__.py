"""Domain of a re-registration campaign: cases, ladder, guards and services.

This package never imports Flask or anything from ``web``.
"""
