"""The house rules the code can check: no import cycles, stages import only what runs before
them, and the pipeline's declared stage order is the order it really runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fabula
from fabula import pipeline
from fabula.errors import StageError
from fabula.stages import check_order, contract_of

PACKAGE = Path(fabula.__file__).parent
BASE_MODULES = (
    "fabula.errors",
    "fabula.settings",
    "fabula.model",
    "fabula.stages",
    "fabula.typography",
    "fabula.workers",
)
# Each module may import its own layer and the layers before it, never a later one.
LAYERS = (
    BASE_MODULES,
    # What the run reads of training: which folds a model saw (to refuse a leaking one) and
    # the one PRF the evaluation scores with. The rest of fabula.training is for the scripts.
    ("fabula.training.folds", "fabula.training.ship", "fabula.training.metrics"),
    ("fabula.reading",),
    ("fabula.segmentation",),
    ("fabula.language", "fabula.nlp"),
    ("fabula.cast",),
    ("fabula.coreference",),
    ("fabula.attribution",),
    ("fabula.analysis",),
    ("fabula.models",),
    ("fabula.outputs",),
    ("fabula.pipeline", "fabula.arguments"),
    ("fabula.training", "fabula.evaluation", "fabula.corpus", "fabula.cli", "fabula"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """Every fabula module ``path`` imports, anywhere in it (function bodies included), except
    under ``if TYPE_CHECKING:``, which never runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for node in ast.walk(branch)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fabula"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("fabula"))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in runtime_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of modules, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def layer_of(module: str) -> int:
    best = None
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > len(best[1])
            ):
                best = (index, prefix)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[0]


def test_the_package_has_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_imports_a_later_stage() -> None:
    late = [
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if layer_of(target) > layer_of(module)
    ]
    assert late == []


def test_the_declared_stage_order_satisfies_every_contract() -> None:
    check_order(pipeline.STAGES, pipeline.GIVEN)


def test_a_stage_before_what_it_needs_is_refused() -> None:
    stages = list(pipeline.STAGES)
    parse = stages.index(pipeline.parse_text)
    stages[0], stages[parse] = stages[parse], stages[0]
    with pytest.raises(StageError, match="parse_text requires"):
        check_order(stages, pipeline.GIVEN)


@pytest.mark.model
def test_the_pipeline_runs_its_stages_in_the_declared_order(monkeypatch) -> None:
    called: list[str] = []
    for function in pipeline.STAGES:
        name = function.__name__

        def traced(*args, _function=function, _name=name, **kwargs):
            called.append(_name)
            return _function(*args, **kwargs)

        monkeypatch.setattr(pipeline, name, traced)
    fabula.analyze('"Ready?" asked Mara.\n\n"Yes," Jonah said.')
    first_calls = list(dict.fromkeys(called))
    assert first_calls == [contract_of(f).name.rsplit(".", 1)[-1] for f in pipeline.STAGES]
