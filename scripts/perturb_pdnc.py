"""Write PDNC novels rewritten in fan-fiction punctuation, for reading what ``--style fanfic``
gives fabula.

Usage: ``.venv/bin/python scripts/perturb_pdnc.py NOVEL... -o OUT [--pdnc DIR]`` (``--all`` for
every novel). OUT becomes a PDNC-format folder (``PDNC-Novel-Index.csv`` and ``data/<Novel>/``
with ``novel_text.txt``, ``quotation_info.csv`` and ``character_info.csv``): the quotation and
mention spans are carried into the new text and their texts re-read from it, so
``fabula eval pdnc OUT`` scores the rewritten novels as ``--style fanfic`` does. Prints, per
novel, the whole-novel changes and how many edits of each kind were made.
"""

from __future__ import annotations

import argparse
import ast
import csv
import shutil
import sys
from collections import Counter
from pathlib import Path

from fabula.evaluation.fic_style import Edit, OffsetMap, Perturbed, perturb_novel
from fabula.evaluation.pdnc import list_novels, read_novel

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDNC = REPO_ROOT.parent / "shared" / "data" / "pdnc"
INDEX_FILE = "PDNC-Novel-Index.csv"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("novels", nargs="*", help="novel folder names (e.g. Emma)")
    parser.add_argument("--all", action="store_true", help="every novel of the corpus")
    parser.add_argument("-o", "--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--pdnc", type=Path, default=DEFAULT_PDNC, help="PDNC corpus folder")
    args = parser.parse_args(argv)
    names = list_novels(args.pdnc) if args.all else tuple(args.novels)
    if not names:
        parser.error("name at least one novel, or --all")
    for name in names:
        perturbed = perturb_novel(read_novel(args.pdnc, name))
        write_novel(args.pdnc / "data" / name, args.out / "data" / name, perturbed)
        print(f"{name}: {describe(perturbed)}")
    _write_index(args.pdnc / INDEX_FILE, args.out / INDEX_FILE, set(names))


def write_novel(source: Path, target: Path, perturbed: Perturbed) -> None:
    """The rewritten text, the quotation table with every span carried, the characters."""
    target.mkdir(parents=True, exist_ok=True)
    text = perturbed.novel.text
    (target / "novel_text.txt").write_text(text, encoding="utf-8")
    shutil.copyfile(source / "character_info.csv", target / "character_info.csv")
    with (source / "quotation_info.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or ())
        rows = [_carry_row(row, perturbed.offsets, text) for row in reader]
    with (target / "quotation_info.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def describe(perturbed: Perturbed) -> str:
    """``"lowercase; 120 inserted spaces, 40 dropped commas, ..."``."""
    style = perturbed.style
    whole = [
        label
        for label, on in (("guillemets", style.guillemets), ("lowercase", style.lowercase))
        if on
    ]
    kinds = Counter(_kind(edit) for edit in perturbed.offsets.edits)
    counts = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    return "; ".join([*whole, counts or "no edits"])


def _kind(edit: Edit) -> str:
    if edit.old_start == edit.old_end:
        return "inserted spaces"
    if edit.new_text in {"«", "»"}:
        return "guillemets"
    if edit.new_text == "":
        return "dropped commas"
    if edit.new_text == ".":
        return "commas made full stops"
    if edit.new_text == " ":
        return "paragraphs fused"
    if len(edit.new_text) == 1:
        return "pronoun tags capitalised"
    return "tags inverted"


def _carry_row(row: dict[str, str], offsets: OffsetMap, text: str) -> dict[str, str]:
    spans = [offsets.map_span(s, e) for s, e in ast.literal_eval(row["quoteByteSpans"])]
    row = dict(row)
    row["quoteByteSpans"] = str([list(span) for span in spans])
    row["subQuotationList"] = str([text[s:e] for s, e in spans])
    row["quoteText"] = " ".join(text[s:e] for s, e in spans)
    if row.get("mentionSpansList", "").startswith("["):
        mentions = [
            [offsets.map_span(s, e) for s, e in part]
            for part in ast.literal_eval(row["mentionSpansList"])
        ]
        row["mentionSpansList"] = str([[list(span) for span in part] for part in mentions])
        row["mentionTextsList"] = str([[text[s:e] for s, e in part] for part in mentions])
    return row


def _write_index(source: Path, target: Path, names: set[str]) -> None:
    """The corpus index rows of the written novels (it says which are first-person)."""
    if not source.is_file():
        return
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row.get("Folder Name") in names]
        fields = list(reader.fieldnames or ())
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    sys.exit(main())
