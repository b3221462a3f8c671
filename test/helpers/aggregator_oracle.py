"""Judges a patched aggregator with Python's own parser, knowing nothing of the patcher.

Reads a JSON list of cases on stdin: {name, original, patched, router, module, prefix (null
when the feature's router sets its own), tags?, package?}, where `module` is the one whose `router` attribute is the feature's router and
`package` the aggregator's own (to read relative imports). Prints one line per broken rule,
or "ok". The rules are the README's: the patch adds one import binding the feature and one
top-level include of it on the right router with the prefix (and tags, where the siblings pass
theirs) alone, after the router's last
include (before the router is itself included into another), and keeps every original byte.
"""

import ast
import difflib
import json
import sys


def absolute(node, package):
    if node.level == 0:
        return node.module
    if not package:
        raise ValueError("a relative import, but the case names no package")
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def targets_of(body, case):
    """Expressions that name the feature's router: `x` bound to it, or `m.router` with `m` its module."""
    names = set()
    for node in body:
        if isinstance(node, ast.ImportFrom):
            module = absolute(node, case.get("package"))
            for alias in node.names:
                dotted = f"{module}.{alias.name}"
                if dotted == case["module"] + ".router":
                    names.add(alias.asname or alias.name)
                elif dotted == case["module"]:
                    names.add(f"{alias.asname or alias.name}.router")
    return names


def include_parts(node):
    """(owner, target, keywords) of `owner.include_router(target, ...)`, else None."""
    call = node.value if isinstance(node, ast.Expr) else node
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "include_router"):
        return None
    owner = ast.unparse(call.func.value)
    target = ast.unparse(call.args[0]) if call.args else ""
    return owner, target, call


def definition_index(body, router):
    for index, node in enumerate(body):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == router for t in targets) and isinstance(node.value, ast.Call):
            return index
    return None


def check_bytes(case, fail):
    original, patched = case["original"], case["patched"]
    if patched.startswith("\ufeff") != original.startswith("\ufeff"):
        fail("the BOM was not kept as it was")
    crlf = "\r\n" in original
    if crlf and patched.count("\n") != patched.count("\r\n"):
        fail("a line ending other than the file's CRLF was added")
    if not crlf and "\r" in patched:
        fail("a CR was added to an LF file")
    if patched.endswith("\n") != original.endswith("\n"):
        fail("the final newline was not kept as it was")


def check_lines(case, leaf, fail):
    """Every original line, in order; only an import's module list may gain `leaf`."""
    old, new = case["original"].splitlines(), case["patched"].splitlines()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("equal", "insert"):
            continue
        grown = op == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and old[i1] in (new[j1].replace(f"{leaf}, ", "", 1), new[j1].replace(f", {leaf}", "", 1))
        if not grown:
            fail(f"original lines {i1 + 1}-{i2} were changed or lost: {old[i1:i2]!r} became {new[j1:j2]!r}")


def check_statements(case, old_body, new_body, include_index, fail):
    """The original statements, plus (or with one of them grown by) one import of the feature.
    Returns where in the patched body that import is."""
    rest = [node for index, node in enumerate(new_body) if index != include_index]
    dump = lambda nodes: [ast.dump(node) for node in nodes]
    imports = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, dump(old_body), dump(rest), autojunk=False).get_opcodes():
        if op == "equal":
            continue
        added = rest[j1:j2]
        if op == "insert" and len(added) == 1 and isinstance(added[0], ast.ImportFrom) and targets_of(added, case):
            imports.append(j1 if j1 < include_index else j1 + 1)
        elif op == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and isinstance(old_body[i1], ast.ImportFrom) and isinstance(added[0], ast.ImportFrom):
            before, after = old_body[i1], added[0]
            names = lambda node: sorted((a.name, a.asname) for a in node.names)
            grown = (before.module, before.level) == (after.module, after.level) and len(after.names) == len(before.names) + 1
            if grown and all(n in names(after) for n in names(before)) and targets_of([after], case):
                imports.append(j1 if j1 < include_index else j1 + 1)
            else:
                fail(f"statement {ast.unparse(before)!r} became {ast.unparse(after)!r}")
        else:
            fail(f"statements changed beyond one import and one include: {op} {[ast.unparse(n) for n in old_body[i1:i2]]} -> {[ast.unparse(n) for n in added]}")
    if len(imports) > 1:
        fail(f"{len(imports)} imports of the feature were added")
    return imports


def check_patch(case, fail):
    check_bytes(case, fail)
    old_tree = ast.parse(case["original"].lstrip("\ufeff"))
    try:
        new_tree = ast.parse(case["patched"].lstrip("\ufeff"))
    except SyntaxError as error:
        return fail(f"the patched file is not valid Python: {error}")
    old_body, body, router = old_tree.body, new_tree.body, case["router"]
    targets = targets_of(body, case)

    # Every call in the file, nested ones included, so that an include inside an if counts too.
    ours = [parts for node in ast.walk(new_tree) if isinstance(node, ast.Call) and (parts := include_parts(node)) and parts[1] in targets]
    if case["patched"] == case["original"]:
        if not any(owner == router for owner, _, _ in ours):
            fail("unchanged, but the feature is not registered on the router")
        return
    if len(ours) != 1:
        return fail(f"expected one include of the feature, found {len(ours)}")
    owner, _, call = ours[0]
    tops = [(index, parts) for index, node in enumerate(body) if (parts := include_parts(node))]
    placed = [index for index, (_, target, _) in tops if target in targets]
    if not placed:
        return fail("the include is not a top-level statement (inside an if, try, def or call)")
    index = placed[0]
    if owner != router:
        fail(f"included into {owner}, not {router}")
    keywords = [(k.arg, ast.literal_eval(k.value) if isinstance(k.value, (ast.Constant, ast.List)) else ast.unparse(k.value)) for k in call.keywords]
    # The prefix (none when the feature's router sets it, as its siblings' do), then the tags where the siblings pass theirs.
    expected = ([("prefix", case["prefix"])] if case["prefix"] is not None else []) + ([("tags", case["tags"])] if "tags" in case else [])
    if len(call.args) != 1 or keywords != expected:
        fail(f"the include's arguments are {ast.unparse(call)!r}, not the router and {expected!r} alone")

    defined = definition_index(body, router)
    composed = next((i for i, (_, target, _) in tops if target == router and (defined is None or i > defined)), None)
    siblings = [i for i, (o, _, _) in tops if o == router and i != index and (composed is None or i < composed)]
    if siblings and index != max(siblings) + 1:
        fail(f"the include is statement {index + 1}, not the one right after the last sibling include ({max(siblings) + 1})")
    if not siblings and defined is not None and not (defined < index and (composed is None or index < composed)):
        fail(f"the include is statement {index + 1}, not between the router's definition ({defined + 1}) and its composition ({composed})")
    if not siblings and composed is None and defined is not None and index != defined + 1:
        fail(f"the include is statement {index + 1}, not the one right after the router's definition ({defined + 1})")
    if composed is not None and index > composed:
        fail("the include comes after the router is included into another")

    check_lines(case, case["module"].rsplit(".", 1)[-1], fail)
    for at in check_statements(case, old_body, body, index, fail):
        if defined is not None and at >= defined:
            fail("the import comes after the router's definition")
        first_code = next((i for i, n in enumerate(old_body) if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)) and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")), 0)
        if at < first_code:
            fail("the import comes before the docstring or a __future__ import")


def main():
    failures = []
    for case in json.load(sys.stdin):
        fail = lambda message, name=case["name"]: failures.append(f"{name}: {message}")
        try:
            check_patch(case, fail)
        except Exception as error:  # an oracle that crashes must say where, not pass
            fail(f"oracle error: {error!r}")
    print("\n".join(failures) or "ok")


main()
