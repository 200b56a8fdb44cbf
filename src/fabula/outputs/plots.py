"""The report's pictures, drawn by matplotlib (and laid out by networkx) as inline SVG.

SVG keeps the page one offline file with no script library: text stays text (searchable,
readable by screen readers), and element ids (``gid``) let the page's own script show one
scene's conversations on the whole-story network. Colours come from the Okabe–Ito palette,
which stays distinguishable with the common colour blindnesses, and every series also has its
own marker and a label, so colour is never the only cue.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Okabe & Ito (2008): distinguishable with protanopia, deuteranopia and tritanopia; their
# yellow is darkened to #B8A000 to show on white. The page's CSS uses the same eight.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#B8A000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
OTHER_COLOUR = "#767676"
# More than this many characters or pairs make a plot unreadable; the most talkative win.
MAX_NETWORK_NODES = 24
MAX_ARC_SERIES = 6
MAX_TIMELINE_ROWS = 24
# Up to this many scenes, each has its tick on the scene axis.
MAX_SCENE_TICKS = 12
# Text as SVG text (smaller, selectable), no per-run random ids, one font family everywhere.
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "fabula",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True, slots=True)
class ArcSeries:
    """One line of an arc plot: a label, its (scene position, mean sentiment) points and its
    colour (a character's, or for a relationship its speaker's, as everywhere on the page)."""

    label: str
    points: tuple[tuple[int, float], ...]
    colour: str


def network_svg(
    names: dict[str, str], edges: dict[tuple[str, str], int], colours: dict[str, str]
) -> str:
    """Who speaks to whom over the whole story: arrows weighted by lines.

    Each arrow is an SVG group with id ``edge-<speaker>-<addressee>`` so the page can show one
    scene's share of the network.
    """
    import networkx as nx

    graph = nx.DiGraph()
    for (speaker, addressee), lines in edges.items():
        graph.add_edge(speaker, addressee, weight=lines)
    if graph.number_of_nodes() == 0:
        return ""
    keep = sorted(graph.nodes, key=lambda n: -graph.degree(n, weight="weight"))
    graph = graph.subgraph(keep[:MAX_NETWORK_NODES]).copy()
    positions = nx.spring_layout(graph, seed=7, weight="weight", k=1.6 / math.sqrt(len(graph)))
    heaviest = max(edges.values())
    with _figure(figsize=(7.5, 6)) as (figure, axes):
        for speaker, addressee, data in graph.edges(data=True):
            (arrow,) = nx.draw_networkx_edges(
                graph, positions, edgelist=[(speaker, addressee)],
                width=0.8 + 5 * math.sqrt(data["weight"] / heaviest),
                edge_color=colours.get(speaker, OTHER_COLOUR), alpha=0.75, arrows=True,
                arrowsize=14, connectionstyle="arc3,rad=0.15", node_size=900, ax=axes,
            )  # fmt: skip
            arrow.set_gid(f"edge-{speaker}-{addressee}")
        nx.draw_networkx_nodes(
            graph, positions, node_size=900, edgecolors="#222222", ax=axes,
            node_color=[colours.get(n, OTHER_COLOUR) for n in graph.nodes],
        )  # fmt: skip
        nx.draw_networkx_labels(
            graph, positions, labels={n: _plain(names.get(n, n)) for n in graph.nodes},
            font_size=9, ax=axes,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )  # fmt: skip
        axes.set_axis_off()
        axes.margins(0.12)
        return _svg(figure)


def arcs_svg(title: str, series: Sequence[ArcSeries], scene_count: int) -> str:
    """Mean sentiment per scene for each series, with a running mean to show the trend."""
    series = [s for s in series if s.points][:MAX_ARC_SERIES]
    if not series:
        return ""
    with _figure(figsize=(7.5, 3.6)) as (figure, axes):
        for index, one in enumerate(series):
            xs = [x + 1 for x, _ in one.points]
            ys = [y for _, y in one.points]
            # Two series may share a colour (one speaker's relationships): never a marker.
            colour, marker = one.colour, MARKERS[index % len(MARKERS)]
            axes.scatter(xs, ys, color=colour, marker=marker, s=18, alpha=0.45)
            axes.plot(
                xs, _running_mean(ys), color=colour, marker=marker, linewidth=1.8,
                markevery=max(len(xs) // 6, 1), markersize=6, label=_plain(one.label),
            )  # fmt: skip
        axes.axhline(0, color="#999999", linewidth=0.8)
        axes.set_ylim(-1.05, 1.05)
        axes.set_xlim(0.5, max(scene_count, 1) + 0.5)
        _whole_scenes(axes, max(scene_count, 1))
        axes.set_xlabel("scene")
        axes.set_ylabel("sentiment (−1 hostile … +1 warm)")
        axes.set_title(title, fontsize=11)
        axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return _svg(figure)


def timeline_svg(
    rows: Sequence[tuple[str, str]],
    present: dict[str, set[int]],
    spoken: dict[str, dict[int, int]],
    scene_count: int,
    colours: dict[str, str],
) -> str:
    """Which characters are in which scene: a hollow ring where present, a dot sized by the
    lines they speak there. ``rows`` are (character id, name), top row first."""
    rows = list(rows)[:MAX_TIMELINE_ROWS]
    if not rows or scene_count == 0:
        return ""
    with _figure(figsize=(7.5, 1.0 + 0.32 * len(rows))) as (figure, axes):
        for y, (character, _name) in enumerate(rows):
            lines = spoken.get(character, {})
            silent = sorted(present.get(character, set()) - set(lines))
            axes.scatter(
                [x + 1 for x in silent], [y] * len(silent), s=22, facecolors="none",
                edgecolors=OTHER_COLOUR, linewidths=1.0,
            )  # fmt: skip
            axes.scatter(
                [x + 1 for x in lines], [y] * len(lines),
                s=[14 + 10 * math.sqrt(n) for n in lines.values()],
                color=colours.get(character, OTHER_COLOUR), edgecolors="#222222",
                linewidths=0.4,
            )  # fmt: skip
        axes.set_yticks(range(len(rows)), [_plain(name) for _, name in rows], fontsize=8)
        axes.set_ylim(len(rows) - 0.5, -0.5)
        axes.set_xlim(0.5, scene_count + 0.5)
        _whole_scenes(axes, scene_count)
        axes.set_xlabel("scene (ring: present; dot: speaks, larger for more lines)")
        axes.grid(axis="y", color="#eeeeee")
        return _svg(figure)


@contextlib.contextmanager
def _figure(**options) -> Iterator[tuple]:
    """A figure drawn off-screen in the report's style, closed afterwards."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(STYLE):
        figure, axes = plt.subplots(**options)
        try:
            yield figure, axes
        finally:
            plt.close(figure)


def _whole_scenes(axes, scene_count: int) -> None:
    """Ticks on scenes only: each of a few scenes, else a whole-numbered few (never 0.5)."""
    from matplotlib.ticker import MaxNLocator

    if scene_count <= MAX_SCENE_TICKS:
        axes.set_xticks(range(1, scene_count + 1))
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def _running_mean(values: list[float], width: int = 3) -> list[float]:
    means = []
    for i in range(len(values)):
        window = values[max(0, i - width + 1) : i + 1]
        means.append(sum(window) / len(window))
    return means


def _plain(label: str) -> str:
    """Labels are drawn as text, never as matplotlib's mathtext ("$5 and $6")."""
    return label.replace("$", r"\$")


def _svg(figure) -> str:
    """The figure as an SVG element (no XML prolog), deterministic, text kept as text."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
