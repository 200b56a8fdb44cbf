"""Stories for the report tests: the example, and a hostile one whose text and cast hold HTML."""

from __future__ import annotations

import pytest

from fabula import pipeline
from fabula.model import Story

HOSTILE_TEXT = """\
<script>window.pwned = "text"; alert("text")</script>

"<img src=x onerror=alert('quote')>," said Mara. "Stop </script> that."

"Never," said Jonah. "Not for you, Mara."

"Then go," Mara said.
"""
# Closes the data <script> and the SVG text if anything is left unescaped.
HOSTILE_NAME = '</script><script>window.pwned = "name"</script><b onmouseover=alert(1)>'


@pytest.fixture(scope="session")
def example_data(example_story: Story) -> dict:
    """The example's JSON data, from the one analysis of it the test run makes."""
    return example_story.to_dict()


@pytest.fixture(scope="session")
def hostile_data() -> dict:
    data = pipeline.analyze(HOSTILE_TEXT).to_dict()
    mara = next(c for c in data["characters"] if c["name"] == "Mara")
    mara["name"] = HOSTILE_NAME
    return data
