"""Stories for the report tests: the example, and a hostile one whose text and cast hold HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula import pipeline
from fabula.reading import read_path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "the_lighthouse_keepers.txt"
HOSTILE_TEXT = """\
<script>window.pwned = "text"; alert("text")</script>

"<img src=x onerror=alert('quote')>," said Mara. "Stop </script> that."

"Never," said Jonah. "Not for you, Mara."

"Then go," Mara said.
"""
# Closes the data <script> and the SVG text if anything is left unescaped.
HOSTILE_NAME = '</script><script>window.pwned = "name"</script><b onmouseover=alert(1)>'


@pytest.fixture(scope="session")
def example_data() -> dict:
    return pipeline.analyze_source(read_path(EXAMPLE)).to_dict()


@pytest.fixture(scope="session")
def hostile_data() -> dict:
    data = pipeline.analyze(HOSTILE_TEXT).to_dict()
    mara = next(c for c in data["characters"] if c["name"] == "Mara")
    mara["name"] = HOSTILE_NAME
    return data
