"""The picture of the code in docs/architecture.md, the README and .importlinter matches the code."""

from configparser import ConfigParser
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = PROJECT_ROOT / "portal" / "workflows"
AGGREGATES = sorted(path.name for path in WORKFLOWS.iterdir() if (path / "__init__.py").exists())


def _contracts() -> ConfigParser:
    config = ConfigParser()
    config.read(PROJECT_ROOT / ".importlinter")
    return config


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith(";")]


def test_every_aggregate_is_described_where_a_newcomer_looks():
    architecture = (PROJECT_ROOT / "docs" / "architecture.md").read_text()
    readme = (PROJECT_ROOT / "README.md").read_text()
    for name in AGGREGATES:
        assert f"`{name}/`" in architecture, f"docs/architecture.md does not describe workflows/{name}/"
        assert f"    {name}/" in readme, f"the README's folder map does not list workflows/{name}/"


def test_every_aggregate_is_held_by_the_import_contracts():
    contracts = _contracts()
    layered = {
        name.strip("() ")
        for layer in _lines(contracts["importlinter:contract:aggregates"]["layers"])
        for name in layer.split("|")
    }
    kinds = {
        container.rsplit(".", 1)[1]
        for container in _lines(contracts["importlinter:contract:kinds"]["containers"])
    }
    assert set(AGGREGATES) <= layered, "an aggregate is missing from the 'aggregates' layers contract"
    assert set(AGGREGATES) == kinds, "an aggregate is missing from the 'kinds' contract's containers"


def test_every_module_of_an_aggregate_is_of_a_known_kind():
    kinds = {
        name.strip("() ")
        for layer in _lines(_contracts()["importlinter:contract:kinds"]["layers"])
        for name in layer.split("|")
    }
    for name in AGGREGATES:
        for module in (WORKFLOWS / name).glob("*.py"):
            if module.stem != "__init__":
                assert module.stem in kinds, (
                    f"workflows/{name}/{module.name} is of no kind the contracts know"
                )


def test_every_guard_named_in_the_transition_table_exists():
    from importlib import import_module

    from portal.workflows.transitions import TRANSITIONS

    for transition in TRANSITIONS:
        for guard in transition.guards:
            path = getattr(guard, "path", None)
            if path:
                module, _, function = path.partition(":")
                assert callable(getattr(import_module(module), function, None)), path
