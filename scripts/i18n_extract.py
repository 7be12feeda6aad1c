#!/usr/bin/env python3
"""Collect every interface string of eevp and check the Russian and Ukrainian catalogues.

The code writes interface strings in English and passes them through ``ui.t(...)`` /
``t(...)`` / ``i18n.translate(...)``; the English text is the key of ``eevp/resources/i18n/<lang>.json``.
This script finds those strings with :mod:`ast` (no regular expressions over source):

* string literals given as the text of ``t(...)``, ``ui.t(...)``, ``translate(...)`` (and of any
  local alias such as ``t = ui.t``), including ``"a" "b"`` / ``"a" + "b"`` / ``x if c else "y"``;
* the how-to-read line of ``ui.chart(chart, "...")``, ``ui.table(..., caption="...")`` and the
  message of ``ui.stop_if_empty(df, "...")`` (those helpers translate inside);
* literal option lists shown with ``format_func=t``;
* strings kept in tables and passed to ``t()`` later (see :data:`CONTAINERS`, :data:`CALL_ARGS`,
  :data:`METHODS`): page titles, upload kinds, the maturity model, field descriptions, segments,
  journey stages...;
* messages of the :mod:`eevp.errors` exceptions raised in ``eevp/*.py`` (shown to users); an
  f-string message becomes a template whose ``{placeholders}`` are filled back in by
  :func:`eevp.i18n.translate` when it matches a finished message.

Usage::

    .venv/bin/python scripts/i18n_extract.py              # the sorted strings, one per line
    .venv/bin/python scripts/i18n_extract.py --check      # exit 1 listing missing/untranslated/bad entries
    .venv/bin/python scripts/i18n_extract.py --write      # add missing keys (English value: to translate)
    .venv/bin/python scripts/i18n_extract.py --where      # each string with the places it comes from
    .venv/bin/python scripts/i18n_extract.py --unresolved # t() calls whose text is not a literal (review)
    .venv/bin/python scripts/i18n_extract.py --stale      # catalogue keys no longer in the code
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("ru", "uk")
CATALOG_DIR = Path("eevp") / "resources" / "i18n"

#: Names that translate their first argument (besides aliases found in the code, e.g. ``t = ui.t``).
T_NAMES = {"t", "translate"}
#: ``module.attr`` calls that translate their first argument.
T_ATTRS = {("ui", "t"), ("i18n", "translate"), ("ctx", "t")}  # ctx.t: the digest's sections
#: ``ui.<helper>`` calls that translate one of their arguments: helper → (position, keyword).
UI_HELPERS = {"chart": (1, "how_to_read"), "table": (2, "caption"), "stop_if_empty": (1, "message"),
              "page": (0, "title"), "plain_table": (1, "labels")}
#: Streamlit widgets whose options are shown through ``format_func``: the options' position.
OPTION_WIDGETS = {"selectbox": 1, "radio": 1, "multiselect": 1, "segmented_control": 1, "pills": 1,
                  "select_slider": 1}

#: Exceptions of :mod:`eevp.errors` whose messages reach users.
ERRORS = {"EevpError", "InputError", "ValidationFailed", "DuplicateBatchError", "NotFoundError",
          "TooFewUnitsError", "AccessDenied", "AnalysisRunning"}
#: Modules whose messages are for the command line only (English by design).
CLI_ONLY = {"eevp/cli.py", "eevp/commands.py", "eevp/__main__.py"}

#: Tokens that read the same in every language; a text made only of these (plus digits, punctuation
#: and placeholders) may keep its English form in a translation.
SAME_IN_ALL = ("eNPS", "EVP", "CSV", "CX", "NPS", "KPI", "KPIs", "CRM", "HR", "Excel", "xlsx", "XLSX", "eevp",
               "Markdown", "JSON", "UTF-8", "OK", "ID", "id")


# --------------------------------------------------------------------------- selectors for kept strings

def _values(node: ast.AST) -> list[ast.AST]:
    """Values of a dict literal, elements of a list/tuple/set literal."""
    if isinstance(node, ast.Dict):
        return list(node.values)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return list(node.elts)
    return []


def _item(i: int) -> Callable[[ast.AST], list[ast.AST]]:
    """Element ``i`` of every tuple inside a dict's values or a list."""
    def pick(node: ast.AST) -> list[ast.AST]:
        return [v.elts[i] for v in _values(node) if isinstance(v, (ast.Tuple, ast.List)) and len(v.elts) > i]
    return pick


def _all(node: ast.AST) -> list[ast.AST]:
    return [node]


def _capitalised(texts: list[str]) -> list[str]:
    return [s.capitalize() for s in texts]


@dataclass(frozen=True)
class Container:
    """A module-level name whose strings are passed to ``t()`` somewhere else."""

    path: str
    name: str
    pick: Callable[[ast.AST], list[ast.AST]] = _values
    also: Callable[[list[str]], list[str]] | None = None  # derived forms used too (e.g. capitalised)


#: Tables of strings shown through ``t()`` after a look-up (``t(KIND_LABELS[k])``, ``t(title)``...).
CONTAINERS = (
    Container("webui/frame.py", "PAGES", _item(1)),               # t(title) in ui.navigation
    Container("pages/1_Upload.py", "KIND_LABELS"),                # t(KIND_LABELS[k])
    Container("webui/login.py", "ROLE_NAMES"),                    # t(ROLE_NAMES[role])
    Container("pages/1_Upload.py", "LIST_KEYS"),                  # t(label)
    Container("pages/6_Customer_insights.py", "BADGE", _item(1)),  # t(word)
    Container("eevp/text/lens.py", "STAGES", _all),                         # format_func=t, t(r.main_stage)
    Container("eevp/store/queries.py", "SEGMENTS", _all, _capitalised),  # t(seg), t(name.capitalize())
    Container("eevp/analytics/maturity.py", "HISTORY_COLUMNS"),             # {k: t(v) ...}
    Container("eevp/intake/schemas.py", "_MESSAGES"),                    # validation problems (see MESSAGE_FILES)
    Container("eevp/intake/unmapped.py", "REASONS"),                     # why a column is not mapped
    Container("eevp/intake/readers.py", "NOTES"),                        # rows skipped or odd on reading
    Container("eevp/intake/checks.py", "FINDINGS"),                      # blanks, placeholders, years alone
    Container("webui/widgets.py", "SUGGESTIONS"),                        # t(SUGGESTIONS[name])
    Container("webui/widgets.py", "_CONFIRM", _item(0)),                 # t(_CONFIRM[code][0]): warnings ticked
    Container("eevp/analytics/voice.py", "HEADINGS", _item(0)),          # Customer insights: ui.page(title)
    Container("eevp/analytics/voice.py", "HEADINGS", _item(1)),          # ...and t(intro)
)


@dataclass(frozen=True)
class CallArgs:
    """Arguments of calls to a class or function defined in ``path`` (e.g. a dataclass of the model)
    that are shown through ``t()``; positions come from the definition's fields or parameters."""

    path: str
    callee: str
    params: tuple[str, ...]
    derive: Callable[[str], str] | None = None  # shown as derive(value) instead of the value
    in_files: tuple[str, ...] = ()  # where the calls are; default: path itself


def _field_label(name: str) -> str:
    """The Upload page's label of a mapping field: ``t(mapping.field_label(name))``."""
    return name.replace("_", " ").capitalize()


CALL_ARGS = (
    CallArgs("eevp/analytics/maturity.py", "Fact", ("label",)),              # t(f.label, **f.params)
    CallArgs("eevp/analytics/maturity.py", "_people", ("label",)),
    CallArgs("eevp/intake/mapping.py", "_f", ("description",)),           # help=t(spec.description)
    CallArgs("eevp/intake/mapping.py", "FieldSpec", ("description",)),
    CallArgs("eevp/intake/mapping.py", "_f", ("name",), _field_label),    # t(name.replace("_", " ").capitalize())
    CallArgs("eevp/intake/mapping.py", "FieldSpec", ("name",), _field_label),
    CallArgs("eevp/intake/validate.py", "_numeric", ("message",)),          # validation problems, see MESSAGE_FILES
    CallArgs("eevp/intake/validate.py", "_too_long", ("message",)),
)

#: Modules whose ``{"message": "..."}`` dicts are problems shown to users (the Upload page's table
#: of validation problems and the rejected-rows download): show them with ``t(message)``.
MESSAGE_FILES = ("eevp/intake/ingest.py", "eevp/intake/validate.py", "eevp/intake/schemas.py")

#: Methods whose returned text is shown through ``t()``: (path, "Class.method").
METHODS = (
    ("eevp/analytics/customers.py", "SystemicRule.explain"),        # st.caption(t(rule.explain()))
    ("eevp/analytics/customers.py", "SystemicRule.explain_parts"),  # text, values = rule.explain_parts(); t(text, **values)
    ("eevp/analytics/voice.py", "VoiceRule.explain_parts"),  # the same, on the Staff and customers tab and the brief
)

#: Progress steps reported by the analysis and shown as ``t(step)`` (ui.run_analysis).
PROGRESS_FILES = ("eevp/themes/run.py", "eevp/analytics/customers.py", "eevp/pipeline.py", "eevp/themes/embeddings.py")

#: Translated expressions that are not literals but whose texts are collected by a rule above:
#: (file or "*", expression) → the rule. ``--unresolved`` lists the others, for review.
KNOWN_DYNAMIC = {
    ("webui/core.py", "text"): "ui.t itself",
    ("webui/widgets.py", "message"): "ui.stop_if_empty: callers' messages are collected",
    ("webui/widgets.py", "caption"): "ui.table: callers' captions are collected",
    ("webui/widgets.py", "how_to_read"): "ui.chart: callers' captions are collected",
    ("webui/widgets.py", "labels[col]"): "ui.plain_table: callers' header labels are collected",
    ("webui/data.py", "step"): "PROGRESS_FILES",
    ("webui/widgets.py", "str(status.get('step'))"): "PROGRESS_FILES",
    ("*", "str(exc)"): "error messages of eevp.errors",
    ("webui/frame.py", "title"): "ui.page: callers' titles are collected",
    ("webui/frame.py", "denied[0]"): "PAGES titles",
    ("webui/localise.py", "v"): "chart titles: CHART_WORDS, COLUMN_LABELS, or titles already passed through t()",
    ("webui/localise.py", "value"): "journey stages (eevp.text.lens.STAGES)",
    ("webui/localise.py", "SEGMENT_LABELS[name]"): "a subset of COLUMN_LABELS",
    ("webui/data.py", "note"): "notes of eevp.pipeline.run_all: TooFewUnitsError messages of eevp.errors",
    ("app.py", "h['segment']"): "SEGMENTS (eevp/store/queries.py)",
    ("pages/1_Upload.py", "mp.field_label(name)"): "CALL_ARGS: mapping field labels",
    ("pages/1_Upload.py", "spec.description"): "CALL_ARGS: mapping field descriptions",
    ("webui/widgets.py", "name.replace('_', ' ').capitalize()"): "CALL_ARGS: mapping field labels",
    ("webui/widgets.py", "u['reason']"): "REASONS (eevp/intake/unmapped.py)",
    ("webui/widgets.py", "n['message']"): "NOTES (eevp/intake/readers.py)",
    ("webui/widgets.py", "f['message']"): "FINDINGS (eevp/intake/checks.py)",
    ("webui/widgets.py", "_CONFIRM[c][0]"): "_CONFIRM (webui/widgets.py)",
    ("pages/6_Customer_insights.py", "intro"): "HEADINGS (eevp/analytics/voice.py)",
    ("pages/6_Customer_insights.py", "title"): "HEADINGS (eevp/analytics/voice.py)",
    ("pages/6_Customer_insights.py", "rule.explain()"): "METHODS: SystemicRule.explain",
    ("pages/6_Customer_insights.py", "_text"): "METHODS: SystemicRule.explain_parts",
    ("pages/6_Customer_insights.py", "r.main_stage"): "journey stages (eevp.text.lens.STAGES)",
    ("eevp/analytics/customers.py", "text"): "brief_markdown's own t(): the literals it is called with are collected",
    ("eevp/analytics/digest.py", "text"): "Context.t: the literals of ctx.t(...) are collected (T_ATTRS)",
    ("eevp/actions/digest.py", "action['status']"): "STATUSES (eevp/actions/register.py), format_func=t on the Actions page",
    ("eevp/actions/digest.py", "dim.capitalize()"): "SEGMENTS (eevp/store/queries.py), collected capitalised",
    ("eevp/analytics/customers.py", "rule_text"): "METHODS: SystemicRule.explain_parts",
    ("eevp/analytics/customers.py", "r.main_stage"): "journey stages (eevp.text.lens.STAGES)",
    ("pages/6_Customer_insights.py", "r.stage"): "journey stages (eevp.text.lens.STAGES)",
    ("eevp/analytics/voice.py", "text"): "brief_markdown's own t(): the literals it is called with are collected",
    ("eevp/analytics/voice.py", "rule_text"): "METHODS: VoiceRule.explain_parts",
    ("pages/7_CX_maturity.py", "d.name"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "d.description"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "text"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "q.text"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "q.yes_means"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "maturity.ANSWERS[v]"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "maturity.LEVEL_NAMES[v]"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "maturity.LEVEL_NAMES[i]"): "MATURITY_DATA (the checklist file)",
    ("pages/7_CX_maturity.py", "f.label"): "CALL_ARGS: Fact, _people",
}

#: Extra strings given to ``t()`` from data the code cannot show (kept short and explained).
EXTRA: dict[str, str] = {}


# --------------------------------------------------------------------------- the collection

@dataclass
class Found:
    """Every string with the places it comes from, and ``t()`` calls whose text is not a literal."""

    strings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    unresolved: list[str] = field(default_factory=list)

    def add(self, text: str, where: str) -> None:
        if needs_translation_key(text):
            self.strings[text].add(where)


def needs_translation_key(text: str) -> bool:
    """A string is worth a catalogue entry when it has letters outside its placeholders."""
    return bool(re.search(r"[^\W\d_]", re.sub(r"\{[^{}]*\}", "", text)))


def ui_files(root: Path) -> list[Path]:
    """The Streamlit side: top-level scripts, the webui helpers and the pages."""
    return (sorted(p for p in root.glob("*.py")) + sorted((root / "webui").glob("*.py"))
            + sorted((root / "pages").glob("*.py")))


def package_files(root: Path) -> list[Path]:
    return sorted((root / "eevp").rglob("*.py"))


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


_PARSED: dict[tuple[Path, int, int], ast.Module] = {}


def _parse(path: Path) -> ast.Module:
    """The module's syntax tree, each node knowing its parent (``_parent``); parsed once per version."""
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        _PARSED[key] = _parse_fresh(path)
    return _PARSED[key]


def _parse_fresh(path: Path) -> ast.Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nodes = list(ast.walk(tree))
    for node in nodes:
        for child in ast.iter_child_nodes(node):
            child._parent = node  # type: ignore[attr-defined]
    tree._nodes = nodes  # type: ignore[attr-defined]
    return tree


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of a parsed module (walked once), or of a part of one."""
    return getattr(tree, "_nodes", None) or list(ast.walk(tree))


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` (inlined where an f-string uses them)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _module_value(tree: ast.Module, name: str) -> ast.AST | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node.value
    return None


# --------------------------------------------------------------------------- strings of an expression

def _placeholder(expr: ast.AST) -> str:
    """A readable ``{name}`` for an expression inside an f-string or a concatenation."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return "type" if expr.attr == "__name__" else expr.attr.strip("_") or "value"
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "len":
        return "n"
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr == "join" or isinstance(expr.func.value, ast.Constant):
            return _placeholder(expr.args[0]) if expr.args else "value"
        return _placeholder(expr.func.value)  # action.replace("_", " ") → action
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.args \
            and expr.func.id in ("str", "repr", "list", "sorted", "tuple", "set", "int", "float", "round"):
        return _placeholder(expr.args[0])
    if isinstance(expr, ast.Call):
        return _placeholder(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else "value"
    if isinstance(expr, ast.BinOp):
        return _placeholder(expr.left)
    if isinstance(expr, ast.Subscript):
        return _placeholder(expr.value)
    return "value"


def _bindings(node: ast.AST) -> list[dict[str, str]]:
    """Name → string bindings from enclosing comprehensions over literal tuples, e.g.
    ``[f"Share of {label}" for kind, label in (("survey", "survey comments"), ...)]``."""
    out: list[dict[str, str]] = [{}]
    parent = getattr(node, "_parent", None)
    while parent is not None:
        if isinstance(parent, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
            for gen in parent.generators:
                rows = []
                for elt in _values(gen.iter):
                    names = [gen.target] if isinstance(gen.target, ast.Name) else list(getattr(gen.target, "elts", []))
                    vals = [elt] if isinstance(gen.target, ast.Name) else list(getattr(elt, "elts", []))
                    row = {n.id: v.value for n, v in zip(names, vals) if isinstance(n, ast.Name)
                           and isinstance(v, ast.Constant) and isinstance(v.value, str)}
                    rows.append(row)
                if rows:
                    out = [{**a, **b} for a in out for b in rows]
        parent = getattr(parent, "_parent", None)
    return out


def _fstring(node: ast.JoinedStr, consts: dict[str, str], env: dict[str, str]) -> str:
    parts: list[str] = []
    used: dict[str, str] = {}
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
            continue
        expr = value.value  # type: ignore[attr-defined]
        if isinstance(expr, ast.Name) and expr.id in env:
            parts.append(env[expr.id].replace("{", "{{").replace("}", "}}"))
            continue
        if isinstance(expr, ast.Name) and expr.id in consts:
            parts.append(consts[expr.id].replace("{", "{{").replace("}", "}}"))
            continue
        name, source = _placeholder(expr), ast.unparse(expr)
        base, i = name, 2
        while name in used and used[name] != source:
            name, i = f"{base}{i}", i + 1
        used[name] = source
        parts.append("{" + name + "}")
    return "".join(parts)


def strings_of(node: ast.AST | None, consts: dict[str, str], template: bool = False) -> list[str] | None:
    """The strings an expression can evaluate to, or None when it is not (only) literal text.

    With ``template`` an f-string or a concatenation with a computed part becomes a template
    (``{placeholder}`` for each computed part); without it, those are None (not resolvable).
    """
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        if not template:
            return None
        return [_fstring(node, consts, env) for env in _bindings(node)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = strings_of(node.left, consts, template)
        right = strings_of(node.right, consts, template)
        if template:
            left = left if left is not None else ["{" + _placeholder(node.left) + "}"]
            right = right if right is not None else ["{" + _placeholder(node.right) + "}"]
        if left is None or right is None:
            return None
        return [a + b for a, b in itertools.product(left, right)]
    if isinstance(node, ast.IfExp):
        a, b = strings_of(node.body, consts, template), strings_of(node.orelse, consts, template)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.BoolOp):
        found = [strings_of(v, consts, template) for v in node.values]
        return [s for f in found if f for s in f] or None
    if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        found = [strings_of(v, consts, template) for v in _values(node)]
        return [s for f in found if f for s in f]
    if isinstance(node, ast.Name) and node.id in consts:
        return [consts[node.id]]
    return None


# --------------------------------------------------------------------------- the passes

def _t_aliases(tree: ast.Module) -> set[str]:
    """Local names bound to a translating function, e.g. ``t = ui.t``."""
    names = set(T_NAMES)
    for node in _nodes(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute) \
                and isinstance(node.value.value, ast.Name) and (node.value.value.id, node.value.attr) in T_ATTRS:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_t(func: ast.AST, aliases: set[str]) -> bool:
    if isinstance(func, ast.Name):
        return func.id in aliases
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and (func.value.id, func.attr) in T_ATTRS


def _arg(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _translating_calls(tree: ast.Module, rel: str, in_ui_py: bool) -> Iterator[tuple[ast.Call, ast.AST | None, str]]:
    """(call, the argument that is translated, what it is) for every translating call."""
    aliases = _t_aliases(tree)
    for node in _nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if _is_t(func, aliases):
            yield node, _arg(node, 0, "text"), "t"
            continue
        helper = None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "ui":
            helper = func.attr
        elif in_ui_py and isinstance(func, ast.Name):
            helper = func.id
        if helper in UI_HELPERS:
            yield node, _arg(node, *UI_HELPERS[helper]), f"ui.{helper}"
            continue
        widget = func.attr if isinstance(func, ast.Attribute) else None
        if widget in OPTION_WIDGETS:
            fmt = _arg(node, 99, "format_func")
            if fmt is not None and _is_t(fmt, aliases):
                yield node, _arg(node, OPTION_WIDGETS[widget], "options"), f"{widget}(format_func=t)"


class Resolver:
    """Follows a translated expression that is not a literal back to literal text, where the code
    makes that plain: ``t(LABELS[k])``, ``t(LABELS.get(k))``, ``for k, label in LABELS.items(): t(label)``,
    ``for a, title, *_ in PAGES: t(title)``, ``icon, word = BADGE[x]``, ``stages = ["—"] + list(mod.STAGES)``,
    ``module.TABLE[k]`` for a module of the package."""

    def __init__(self, root: Path, rel: str, tree: ast.Module):
        self.root, self.rel, self.tree = root, rel, tree
        self.consts = _module_constants(tree)
        self.modules = self._package_imports(tree)

    @staticmethod
    def _package_imports(tree: ast.Module) -> dict[str, str]:
        """Local name → path of an ``eevp`` module imported under that name."""
        out = {}
        for node in _nodes(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "eevp":
                for alias in node.names:
                    out[alias.asname or alias.name] = f"{node.module.replace('.', '/')}/{alias.name}.py"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("eevp.") and alias.asname:
                        out[alias.asname] = alias.name.replace(".", "/") + ".py"
        return out

    # containers ---------------------------------------------------------------------------
    def container(self, node: ast.AST, depth: int = 0) -> tuple[ast.AST, Resolver] | None:
        """The literal dict/list/tuple an expression names, with the resolver of its module."""
        if depth > 4:
            return None
        if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            return node, self
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("list", "tuple", "sorted", "set", "dict") and node.args:
            return self.container(node.args[0], depth + 1)
        if isinstance(node, ast.Name):
            value = _module_value(self.tree, node.id)
            return None if value is None else self.container(value, depth + 1)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in self.modules:
            path = self.root / self.modules[node.value.id]
            if path.exists():
                other = Resolver(self.root, self.modules[node.value.id], _parse(path))
                value = _module_value(other.tree, node.attr)
                return None if value is None else other.container(value, depth + 1)
        return None

    def _members(self, node: ast.AST, part: str, index: int | None = None) -> list[str] | None:
        """Strings among a container's values (``part="values"``) or keys, element ``index`` of tuples."""
        found = self.container(node)
        if found is None:
            return None
        lit, res = found
        if part == "keys" and isinstance(lit, ast.Dict):
            members = [k for k in lit.keys if k is not None]
        else:
            members = _values(lit)
        if index is not None:
            members = [m.elts[index] for m in members if isinstance(m, (ast.Tuple, ast.List)) and len(m.elts) > index]
        out = []
        for m in members:
            texts = strings_of(m, res.consts)
            if texts is None:
                return None
            out += texts
        return out

    # expressions --------------------------------------------------------------------------
    def strings(self, node: ast.AST | None, depth: int = 0) -> list[str] | None:
        """The texts an expression evaluates to, or None when it cannot be followed."""
        if node is None or depth > 6:
            return None
        direct = strings_of(node, self.consts)
        if direct is not None:
            return direct
        if isinstance(node, ast.Subscript):
            return self._members(node.value, "values")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            got = self._members(node.func.value, "values")
            if got is not None and len(node.args) > 1:
                default = self.strings(node.args[1], depth + 1)
                return None if default is None else got + default
            return got
        if isinstance(node, ast.IfExp):
            a, b = self.strings(node.body, depth + 1), self.strings(node.orelse, depth + 1)
            return None if a is None or b is None else a + b
        if isinstance(node, ast.BoolOp):
            parts = [self.strings(v, depth + 1) for v in node.values]
            return None if any(p is None for p in parts) else [s for p in parts for s in p]
        if isinstance(node, ast.Name):
            return self._binding(node, depth)
        return None

    def elements(self, node: ast.AST | None, depth: int = 0) -> list[str] | None:
        """The texts among the elements of a list expression (options of a widget)."""
        if node is None or depth > 6:
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.elements(node.left, depth + 1), self.elements(node.right, depth + 1)
            return None if a is None or b is None else a + b
        if isinstance(node, ast.Name) and _module_value(self.tree, node.id) is None:
            values = self._assigned(node, node.id)
            if values is None:
                return None
            parts = [self.elements(v, depth + 1) for v in values]
            return None if any(p is None for p in parts) else [s for p in parts for s in p]
        return self._members(node, "values")

    def _scope(self, node: ast.AST) -> ast.AST:
        parent = getattr(node, "_parent", None)
        while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parent = getattr(parent, "_parent", None)
        return parent or self.tree

    def _assigned(self, at: ast.AST, name: str) -> list[ast.AST] | None:
        """Values plainly assigned to ``name`` in the scope of ``at`` (None when it is bound otherwise)."""
        values = []
        for node in _nodes(self._scope(at)):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                values.append(node.value)
            elif isinstance(node, (ast.For, ast.comprehension)) and name in _names(node.target):
                return None
        return values or None

    def _binding(self, at: ast.Name, depth: int) -> list[str] | None:
        """Follow a name to the loops and assignments that bind it."""
        name, out, seen = at.id, [], False
        parent = getattr(at, "_parent", None)
        while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            loops = [parent] if isinstance(parent, ast.For) else \
                list(getattr(parent, "generators", [])) if isinstance(parent, (ast.ListComp, ast.SetComp,
                                                                               ast.GeneratorExp, ast.DictComp)) else []
            for loop in loops:  # the innermost loop that binds the name decides
                if name in _names(loop.target):
                    return self._loop(loop.target, loop.iter, name)
            parent = getattr(parent, "_parent", None)
        for node in _nodes(self._scope(at)):
            target = it = None
            if isinstance(node, (ast.For, ast.comprehension)):
                target, it = node.target, node.iter
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            if target is None or name not in _names(target):
                continue
            seen = True
            if isinstance(node, ast.Assign):
                if isinstance(target, ast.Name):
                    texts = self.strings(node.value, depth + 1)
                elif isinstance(node.value, ast.Subscript):  # icon, word = BADGE[x]
                    texts = self._members(node.value.value, "values", _position(target, name))
                else:
                    texts = None
            else:
                texts = self._loop(target, it, name)
            if texts is None:
                return None
            out += texts
        if isinstance(self._scope(at), (ast.FunctionDef, ast.AsyncFunctionDef)) and not seen:
            return None  # a parameter, or bound in a way not followed
        return out if seen else None

    def _loop(self, target: ast.AST, it: ast.AST, name: str) -> list[str] | None:
        index = _position(target, name)
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr in ("items", "values", "keys"):
            if it.func.attr == "items":
                if not isinstance(target, ast.Tuple) or index is None or index > 1:
                    return None
                return self._members(it.func.value, "keys" if index == 0 else "values")
            return self._members(it.func.value, it.func.attr, index)
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" and it.args:
            if not isinstance(target, ast.Tuple) or index != 1:
                return None
            return self._members(it.args[0], "values")
        return self._members(it, "values", index)


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _names(e)]
    if isinstance(target, ast.Starred):
        return _names(target.value)
    return []


def _position(target: ast.AST, name: str) -> int | None:
    """Where ``name`` sits in a flat tuple target (None for a plain name)."""
    if isinstance(target, ast.Tuple):
        for i, e in enumerate(target.elts):
            if isinstance(e, ast.Name) and e.id == name:
                return i
    return None


def scan_ui(root: Path, found: Found) -> None:
    files = [(p, False) for p in ui_files(root)] + [(p, True) for p in package_files(root)]
    for path, in_package in files:
        rel = _rel(root, path)
        tree = _parse(path)
        resolver = Resolver(root, rel, tree)
        for call, arg, what in _translating_calls(tree, rel, rel.startswith("webui/")):
            if (in_package and what != "t") or arg is None:
                continue
            where = f"{rel}:{call.lineno}"
            texts = resolver.elements(arg) if what.endswith("(format_func=t)") else resolver.strings(arg)
            if texts is None:
                source = ast.unparse(arg)
                if rel == "eevp/i18n.py" or (rel, source) in KNOWN_DYNAMIC or ("*", source) in KNOWN_DYNAMIC:
                    continue
                found.unresolved.append(f"{where}: {what}: {ast.unparse(arg)}")
                continue
            for text in texts:
                found.add(text, where)


def scan_containers(root: Path, found: Found) -> None:
    for c in CONTAINERS:
        path = root / c.path
        if not path.exists():
            continue
        tree = _parse(path)
        value = _module_value(tree, c.name)
        if value is None:
            continue
        consts = _module_constants(tree)
        texts = [s for node in c.pick(value) for s in (strings_of(node, consts) or [])]
        for text in texts + (c.also(texts) if c.also else []):
            found.add(text, f"{c.path}:{c.name}")


def _params_of(tree: ast.Module, callee: str) -> list[str] | None:
    """Parameter names in order: a dataclass's fields or a function's arguments."""
    for node in _nodes(tree):
        if isinstance(node, ast.ClassDef) and node.name == callee:
            return [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
        if isinstance(node, ast.FunctionDef) and node.name == callee:
            return [a.arg for a in node.args.posonlyargs + node.args.args]
    return None


def scan_call_args(root: Path, found: Found) -> None:
    for rule in CALL_ARGS:
        path = root / rule.path
        if not path.exists():
            continue
        tree = _parse(path)
        params = _params_of(tree, rule.callee)
        if params is None:
            continue
        for in_file in rule.in_files or (rule.path,):
            ipath = root / in_file
            itree = tree if in_file == rule.path else _parse(ipath)
            consts = _module_constants(itree)
            for node in _nodes(itree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == rule.callee):
                    continue
                for param in rule.params:
                    arg = _arg(node, params.index(param), param) if param in params else None
                    for text in strings_of(arg, consts, template=True) or []:
                        found.add(rule.derive(text) if rule.derive else text, f"{in_file}:{node.lineno}")


def scan_methods(root: Path, found: Found) -> None:
    for rel, qualname in METHODS:
        path = root / rel
        if not path.exists():
            continue
        cls, meth = qualname.split(".")
        tree = _parse(path)
        consts = _module_constants(tree)
        for node in _nodes(tree):
            if isinstance(node, ast.ClassDef) and node.name == cls:
                for fn in node.body:
                    if isinstance(fn, ast.FunctionDef) and fn.name == meth:
                        for ret in ast.walk(fn):
                            if isinstance(ret, ast.Return):
                                value = ret.value
                                if isinstance(value, ast.Tuple) and value.elts:  # (text, values)
                                    value = value.elts[0]
                                for text in strings_of(value, consts, template=True) or []:
                                    found.add(text, f"{rel}:{ret.lineno}")


def scan_errors(root: Path, found: Found) -> None:
    """Messages of :mod:`eevp.errors` exceptions raised in the package (not the CLI-only modules)."""
    for path in package_files(root):
        rel = _rel(root, path)
        if rel in CLI_ONLY:
            continue
        tree = _parse(path)
        consts = _module_constants(tree)
        for node in _nodes(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in ERRORS or not node.exc.args:
                continue
            for text in strings_of(node.exc.args[0], consts, template=True) or []:
                found.add(text, f"{rel}:{node.lineno}")


def scan_messages(root: Path, found: Found) -> None:
    """The ``"message"`` values of dict literals in :data:`MESSAGE_FILES` (validation problems)."""
    for rel in MESSAGE_FILES:
        path = root / rel
        if not path.exists():
            continue
        tree = _parse(path)
        consts = _module_constants(tree)
        for node in _nodes(tree):
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and k.value == "message":
                        for text in strings_of(v, consts, template=True) or []:
                            found.add(text, f"{rel}:{node.lineno}")


def scan_progress(root: Path, found: Found) -> None:
    """Literal step names given to ``progress(step, done, total)`` in the analysis modules."""
    for rel in PROGRESS_FILES:
        path = root / rel
        if not path.exists():
            continue
        tree = _parse(path)
        consts = _module_constants(tree)
        for node in _nodes(tree):
            if not isinstance(node, ast.Call):
                continue
            step = None
            if isinstance(node.func, ast.Name) and node.func.id == "progress" and node.args:
                step = node.args[0]
            for kw in node.keywords:  # _write_status(settings, state=..., step="starting", ...)
                if kw.arg == "step":
                    step = kw.value
            for text in strings_of(step, consts) or []:
                found.add(text, f"{rel}:{node.lineno}")


#: The maturity checklist and model, as data: every text in it is shown through ``t()``.
MATURITY_DATA = "eevp/resources/maturity/checklist.json"


def scan_maturity_data(root: Path, found: Found) -> None:
    path = root / MATURITY_DATA
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = [*data["answers"].values(), *data["level_names"].values()]
    texts += [q[k] for q in data["checklist"] for k in ("text", "yes_means")]
    texts += [x for d in data["dimensions"] for x in (d["name"], d["description"], *d["levels"])]
    for text in texts:
        found.add(text, MATURITY_DATA)


def collect(root: Path = ROOT) -> Found:
    """Every interface string (with where it comes from) and the non-literal ``t()`` calls."""
    found = Found()
    scan_ui(root, found)
    scan_containers(root, found)
    scan_call_args(root, found)
    scan_methods(root, found)
    scan_errors(root, found)
    scan_messages(root, found)
    scan_progress(root, found)
    scan_maturity_data(root, found)
    for text, why in EXTRA.items():
        found.add(text, why)
    return found


def extract(root: Path = ROOT) -> list[str]:
    """The sorted set of interface strings."""
    return sorted(collect(root).strings)


# --------------------------------------------------------------------------- checks of the catalogues

PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)(?:![rsa])?(?::[^{}]*)?\}")  # as eevp.i18n


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string (``{{`` / ``}}`` are literal braces; braces around
    anything but a name, as in a JSON example, are text)."""
    return set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def may_stay_english(text: str) -> bool:
    """True when a text has no words to translate (only names such as eNPS, digits, placeholders)."""
    rest = re.sub(r"\{[^{}]*\}", " ", text)
    for token in sorted(SAME_IN_ALL, key=len, reverse=True):
        rest = re.sub(rf"(?<![A-Za-z]){re.escape(token)}(?![A-Za-z])", " ", rest)
    return not re.search(r"[A-Za-z]", rest)


def load_catalog(lang: str, root: Path = ROOT) -> dict[str, str]:
    path = root / CATALOG_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_catalog(lang: str, catalog: dict[str, str], root: Path = ROOT) -> None:
    path = root / CATALOG_DIR / f"{lang}.json"
    text = json.dumps(dict(sorted(catalog.items(), key=lambda kv: kv[0].casefold())), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def problems(strings: Iterable[str], lang: str, catalog: dict[str, str]) -> list[str]:
    """Everything wrong with one catalogue for these strings: missing, empty, still English,
    placeholders that differ, unbalanced ``**`` markers."""
    out = []
    for key in strings:
        value = catalog.get(key)
        if value is None:
            out.append(f"[{lang}] missing: {key!r}")
        elif not value.strip():
            out.append(f"[{lang}] empty: {key!r}")
        elif value == key and not may_stay_english(key):
            out.append(f"[{lang}] not translated (still English): {key!r}")
        else:
            if placeholders(value) != placeholders(key):
                out.append(f"[{lang}] placeholders {sorted(placeholders(value))} differ from "
                           f"{sorted(placeholders(key))}: {key!r}")
            if value.count("**") % 2 or value.count("**") != key.count("**"):
                out.append(f"[{lang}] bold markers (**) differ: {key!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 listing strings missing or untranslated")
    mode.add_argument("--write", action="store_true", help="add missing keys (English value, to translate)")
    mode.add_argument("--where", action="store_true", help="print each string with where it comes from")
    mode.add_argument("--unresolved", action="store_true", help="t() calls whose text is not a literal")
    mode.add_argument("--stale", action="store_true", help="catalogue keys not found in the code")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    found = collect(args.root)
    strings = sorted(found.strings)

    if args.check:
        bad = [p for lang in LANGS for p in problems(strings, lang, load_catalog(lang, args.root))]
        for line in bad:
            print(line)
        print(f"{len(strings)} strings; {len(bad)} problem(s).", file=sys.stderr)
        return 1 if bad else 0
    if args.write:
        for lang in LANGS:
            catalog = load_catalog(lang, args.root)
            added = [s for s in strings if s not in catalog]
            catalog.update({s: s for s in added})
            save_catalog(lang, catalog, args.root)
            print(f"{lang}: added {len(added)} key(s) with the English text; translate them "
                  f"(--check lists every entry still in English).")
        return 0
    if args.where:
        for s in strings:
            print(json.dumps(s, ensure_ascii=False), "  <-", ", ".join(sorted(found.strings[s])))
        return 0
    if args.unresolved:
        print("\n".join(found.unresolved))
        return 0
    if args.stale:
        keys = set(strings)
        for lang in LANGS:
            for k in sorted(set(load_catalog(lang, args.root)) - keys):
                print(f"[{lang}] {k!r}")
        return 0
    for s in strings:
        print(json.dumps(s, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
