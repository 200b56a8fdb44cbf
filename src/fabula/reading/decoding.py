"""Bytes to text: find the encoding, refuse binary data, repair mojibake, and say what changed.

UTF-8 (with or without a byte-order mark) and UTF-16/32 with a mark are read as they are. Any
other file is judged by charset-normalizer, but fan fiction is mostly English, and on short or
mostly-ASCII text its best guess is often a look-alike code page (cp1250 reads cp1252's "ï" as
"ď"). So cp1252 wins whenever it reads the bytes as cleanly as the best guess; another encoding
wins only when it reads them clearly better and its letters fit a language (KOI8-R, Shift-JIS).
Text copied through a wrong decoding ("donâ€™t") is then repaired with ftfy, which changes only
what is mojibake: quote marks, ligatures, widths and line breaks stay as the author wrote them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import is_bad

from fabula.errors import InputError

__all__ = ["DecodedText", "decode", "looks_binary"]

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_WESTERN = "cp1252"
_LATIN_1 = "latin-1"  # maps every byte, so the last resort always decodes
# Two readings whose mess ratios differ by less than this read the bytes equally cleanly.
_SAME_CHAOS = 0.01
_SNIFF_CHARS = 8192
# Prose has almost no C0 control characters; binary data decoded as cp1252/latin-1 has about
# 10%. C1 controls are not counted: latin-1 turns stray cp1252 bytes into them.
_MAX_CONTROL_SHARE = 0.05
_CONTROLS = frozenset(chr(code) for code in range(32)) - frozenset("\t\n\r\f\v\x1b")
# Only ftfy's encoding repairs: everything else it can do would rewrite the author's text.
_REPAIR_MOJIBAKE = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
_EXAMPLE_CONTEXT_CHARS = 12
# Mojibake is a multi-byte character read one byte at a time, so it always leaves two non-ASCII
# characters side by side (or a C1 control). ftfy's own test is costly (3 MB/s), so this cheap
# one picks the lines worth asking it about.
_MAY_BE_MOJIBAKE = re.compile(r"[^\x00-\x7f]{2}|[\x80-\x9f]")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text with LF line endings, the encoding it was read in, and notes on what reading did."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode(data: bytes, name: str) -> DecodedText:
    """Decode, normalise line endings to LF and repair mojibake, noting each change.

    ``b"Zo\\xeb"`` → ``"Zoë"`` with the note "decoded as cp1252: the file is not valid UTF-8";
    UTF-8 ``"donâ€™t"`` → ``"don’t"`` with a "repaired mojibake on 1 line, e.g. ..." note.
    Raises ``InputError`` (one line, naming the input) for binary data.
    """
    text, encoding, notes = _decode(data, name)
    if looks_binary(text[:_SNIFF_CHARS]):
        raise InputError(f"{name} looks like a binary file, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    repaired, note = repair_mojibake(text)
    return DecodedText(repaired, encoding, notes + ((note,) if note else ()))


def looks_binary(sample: str) -> bool:
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ch in _CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(sample)


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """The text with mojibake undone, and a note saying how many lines changed (or ``None``)."""
    if text.isascii():
        return text, None
    lines = text.split("\n")
    # Line by line, as ftfy works anyway; only lines that may be mojibake are handed to it.
    repaired = [
        ftfy.fix_text(line, _REPAIR_MOJIBAKE)
        if _MAY_BE_MOJIBAKE.search(line) and is_bad(line)
        else line
        for line in lines
    ]
    changed = [(old, new) for old, new in zip(lines, repaired, strict=True) if old != new]
    if not changed:
        return text, None
    count = f"{len(changed)} line{'s' if len(changed) != 1 else ''}"
    return "\n".join(repaired), f"repaired mojibake on {count}, e.g. {_example(*changed[0])}"


def _example(old: str, new: str) -> str:
    """The first changed word, before and after: ``“donâ€™t” → “don’t”``."""
    pairs = enumerate(zip(old, new, strict=False))
    start = next((i for i, (a, b) in pairs if a != b), min(len(old), len(new)))
    start = old.rfind(" ", 0, start) + 1
    old_end, new_end = _word_end(old, start), _word_end(new, start)
    return f"“{old[start:old_end]}” → “{new[start:new_end]}”"


def _word_end(line: str, start: int) -> int:
    end = line.find(" ", start)
    end = len(line) if end < 0 else end
    return min(end, start + _EXAMPLE_CONTEXT_CHARS)


def _decode(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    utf8 = "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8-sig":
                data, utf8 = data[len(bom) :], codec
                break
            try:
                return data.decode(codec), codec, ()
            except UnicodeDecodeError:
                raise InputError(f"{name} starts with a {codec} mark but is not {codec}") from None
    try:
        return data.decode("utf-8"), utf8, ()
    except UnicodeDecodeError:
        pass
    text, encoding = _detect(data)
    return text, encoding, (f"decoded as {encoding}: the file is not valid UTF-8",)


def _detect(data: bytes) -> tuple[str, str]:
    """cp1252 unless charset-normalizer finds a clearly cleaner reading whose letters fit a
    language (a coherence above 0: "Cafщ Б corner" in cp1125 fits none), else latin-1."""
    matches = from_bytes(data)
    best = matches.best()
    if best is not None and best.coherence > 0:
        western = next((m for m in matches if _WESTERN in m.could_be_from_charset), None)
        # The detector may stop before trying cp1252: then ask about cp1252 alone.
        western = western or from_bytes(data, cp_isolation=[_WESTERN]).best()
        if western is None or western.chaos > best.chaos + _SAME_CHAOS:
            return str(best), codecs.lookup(best.encoding).name
    try:
        return data.decode(_WESTERN), _WESTERN
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so it always succeeds.
        return data.decode(_LATIN_1), _LATIN_1
