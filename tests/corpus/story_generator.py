"""Varied small stories for corpus tests, generated from a seed (all text is ours).

Each story has two to four characters with names and pronouns of their own, two to four
scenes (scene breaks or chapter headings), and dialogue in one of three conventions (double
quotes, British single quotes, dialogue dashes) with tags before, after, inside or absent.
It comes as plain text, Markdown or an archive-style HTML page.
"""

from __future__ import annotations

import html
import random

FIRST_NAMES = {
    "she": ["Maren", "Ottilie", "Juno", "Priya", "Sable", "Ines", "Wren", "Dagny"],
    "he": ["Casimir", "Tobiah", "Rafe", "Emeka", "Lorcan", "Anselm", "Kit", "Bram"],
}
SURNAMES = ["Quill", "Ashdown", "Farrow", "Okafor", "Lindqvist", "Marsh", "Penhale", "Varga"]
PLACES = ["the ferry landing", "the greenhouse", "the signal box", "the bakery", "the archive"]
LINES = [
    "Did you bring the lantern",
    "I told you the tide would turn",
    "Nobody listens to the weather any more",
    "We should have left an hour ago",
    "Hand me that rope, would you",
    "I am not afraid of the dark",
    "The letter came this morning",
    "You always say that",
    "Then we wait for the signal",
    "It is colder than it looks",
]
VERBS = ["said", "asked", "murmured", "replied", "called"]
BEATS = ["folded the map", "looked at the sky", "set down the cup", "laughed", "shrugged"]


def generate_story(seed: int) -> tuple[str, str]:
    """(file name, content) of one story; the same seed always gives the same story."""
    rng = random.Random(seed)
    cast = _cast(rng)
    convention = rng.choice(["double", "single", "dash"])
    scenes = [_scene(rng, cast, convention) for _ in range(rng.randint(2, 4))]
    title = f"The {rng.choice(['Long', 'Last', 'Quiet', 'Salt'])} {rng.choice(['Watch', 'Road'])}"
    form = rng.choice(["txt", "md", "html"])
    if form == "txt":
        return f"story-{seed}.txt", title + "\n\n" + "\n\n* * *\n\n".join(scenes) + "\n"
    if form == "md":
        chapters = [f"# Chapter {i + 1}\n\n{scene}" for i, scene in enumerate(scenes)]
        return f"story-{seed}.md", "\n\n".join(chapters) + "\n"
    tags = "".join(f"<li><a class='tag'>{html.escape(full)}</a></li>" for _, full, _ in cast)
    body = "".join(
        f"<div class='chapter'><h3 class='title'>Chapter {i + 1}</h3><div class='userstuff'>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in scene.split("\n\n"))
        + "</div></div>"
        for i, scene in enumerate(scenes)
    )
    page = (
        f"<html><head><title>{html.escape(title)}</title></head><body>"
        f"<div class='meta'><dl class='tags'><dt>Characters:</dt><dd><ul>{tags}</ul></dd></dl>"
        f"</div><div id='chapters'>{body}</div></body></html>"
    )
    return f"story-{seed}.html", page


def _cast(rng: random.Random) -> list[tuple[str, str, str]]:
    """(first name, full name, pronoun) of two to four different people."""
    people = []
    for pronoun in rng.sample(["she", "he", "she", "he"], rng.randint(2, 4)):
        first = rng.choice([n for n in FIRST_NAMES[pronoun] if n not in {p[0] for p in people}])
        people.append((first, f"{first} {rng.choice(SURNAMES)}", pronoun))
    return people


def _scene(rng: random.Random, cast, convention: str) -> str:
    _, full, _ = cast[0]
    paragraphs = [f"{full} reached {rng.choice(PLACES)} before the rain."]
    speakers = rng.sample(cast, 2)
    for turn in range(rng.randint(3, 7)):
        name, _, pronoun = speakers[turn % 2]
        line = rng.choice(LINES)
        paragraphs.append(_line(rng, convention, line, name, pronoun, turn))
    return "\n\n".join(paragraphs)


def _line(rng: random.Random, convention: str, line: str, name: str, pronoun: str, turn: int):
    verb = rng.choice(VERBS)
    end = "?" if line.startswith(("Did", "Hand")) else "."
    if convention == "dash":
        tagged_end = "?" if end == "?" else ","
        return f"— {line}{tagged_end} — {verb} {name}." if turn % 3 else f"— {line}{end}"
    opening, closing = ("'", "'") if convention == "single" else ('"', '"')
    style = rng.choice(["after", "before", "beat", "none"]) if turn > 1 else "after"
    if style == "after":
        return (
            f"{opening}{line},{closing} {verb} {name}."
            if end == "."
            else (f"{opening}{line}?{closing} {name} {verb}.")
        )
    if style == "before":
        return f"{name} {verb}, {opening}{line}{end}{closing}"
    if style == "beat":
        return f"{name} {rng.choice(BEATS)}. {opening}{line}{end}{closing}"
    return f"{opening}{line}{end}{closing}"


def generate_corpus(folder, count: int, *, first_seed: int = 0) -> list[str]:
    """Write ``count`` stories into ``folder`` (some in a subfolder); return their names."""
    names = []
    for seed in range(first_seed, first_seed + count):
        name, content = generate_story(seed)
        target = folder / ("part-two" if seed % 3 == 0 else ".") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        names.append(target.relative_to(folder).as_posix())
    return sorted(names)
