"""Marks of the page that several stages read: quotation marks and dashes.

Straight marks (" ') can open or close; the curly ones, guillemets and low marks say which.
"""

from __future__ import annotations

STRAIGHT_QUOTES = frozenset("\"'")
# Marks that open a quotation, and those that close one; straight marks are in both.
OPENING_QUOTES = STRAIGHT_QUOTES | frozenset("“‘«‹„‚")
CLOSING_QUOTES = STRAIGHT_QUOTES | frozenset("”’»›")
QUOTE_MARKS = OPENING_QUOTES | CLOSING_QUOTES
DOUBLE_QUOTES = frozenset('"“”')
# Dashes that open dialogue in many European conventions ("— Where to? — asked Mara.").
DASHES = frozenset("—–")
# Quotation marks as a tokenizer's words: the marks themselves and LaTeX-style `` and ''.
QUOTE_TOKENS = QUOTE_MARKS | {"``", "''"}
