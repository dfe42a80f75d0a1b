#!/usr/bin/env bash
# Makes .typecheck/scdi/<folder> → <folder> links: the installed layout (scdi.connector, scdi.cli …)
# over the repository's top-level folders, for tools that read imports statically (mypy here,
# pyright/Pylance through pyrightconfig.json, PyCharm with .typecheck marked as a sources root).
# The links are to folders, so new modules need no re-run; the folder list is setup.py's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rm -rf "$ROOT/.typecheck" && mkdir -p "$ROOT/.typecheck/scdi"
for folder in $(cd "$ROOT" && python3 -c 'import ast, pathlib
tree = ast.parse(pathlib.Path("setup.py").read_text())
print(" ".join(next(ast.literal_eval(n.value) for n in ast.walk(tree)
                    if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "FOLDERS")))'); do
  ln -s "$ROOT/$folder" "$ROOT/.typecheck/scdi/$folder"
done
