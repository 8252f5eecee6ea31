"""The SDKs stay behind one door, and Streamlit stays in the UI layer (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDKS = {"openai", "torch", "diffusers", "transformers", "azure"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _python_files(*parts: str) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        target = ROOT / part
        files.extend([target] if target.is_file() else sorted(target.rglob("*.py")))
    return files


def test_sdks_are_imported_only_inside_lib_engines() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {sorted(_imports(path) & SDKS)}"
        for path in _python_files("app.py", "pages", "lib")
        if _imports(path) & SDKS and "lib/engines/" not in path.as_posix()
    ]
    assert leaks == []


def test_streamlit_is_imported_only_by_pages_and_lib_ui() -> None:
    leaks = [
        str(path.relative_to(ROOT))
        for path in _python_files("lib")
        if {"streamlit", "streamlit_drawable_canvas"} & _imports(path) and "lib/ui/" not in path.as_posix()
    ]
    assert leaks == []


def test_pages_never_call_engines_directly() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("pages")
        # Types from the contract are fine; engine modules and the registry are not.
        if any(name.startswith("lib.engines") and name != "lib.engines.base" for name in _module_imports(path))
    ]
    assert offenders == []


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_lib_ui_reaches_engines_only_through_the_services() -> None:
    """lib/ui gets engines from lib.services (the teacher's policy), never from the registry itself."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _python_files("lib/ui", "app.py", "pages")
        for name in sorted(_module_imports(path))
        if name.startswith("lib.engines") and name != "lib.engines.base"
    ]
    assert offenders == []


def test_the_store_knows_nothing_of_engines_or_streamlit() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _python_files("lib/store", "lib/pictures.py")
        for name in sorted(_module_imports(path))
        if name.startswith(("lib.engines", "lib.ui", "streamlit", "lib.safety", "lib.studio"))
    ]
    assert leaks == []
