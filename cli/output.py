"""Rendering results and errors for people and for machines."""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import click
from pydantic import BaseModel

from scdi.connector.errors import EXIT_SERVER, ScdiError

F = TypeVar("F", bound=Callable[..., Any])


def to_jsonable(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, dict):
        return {str(k): to_jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in data]
    return data


def emit(data: Any, as_json: bool, render: Callable[[Any], None] | None = None) -> None:
    """Print `data` as JSON (machines) or through `render` (people)."""
    if as_json:
        click.echo(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2, sort_keys=False))
    elif render is not None:
        render(data)
    else:
        plain = to_jsonable(data)
        if isinstance(plain, dict):
            for key, value in plain.items():
                click.echo(f"{key}: {value}")
        else:
            click.echo(plain)


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str]) -> None:
    """A plain aligned table; no colour so it survives logs and copy-paste."""
    text_rows = [[("" if cell is None else str(cell)) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=False)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in text_rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip())


def notice(message: str) -> None:
    click.echo(f"Note: {message}", err=True)


def handle_errors(func: F) -> F:
    """Library errors become one line with a hint and their exit code; --debug shows a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ScdiError as exc:
            if _debug():
                traceback.print_exc(file=sys.stderr)
            click.echo(f"Error: {exc.one_line()}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_SERVER)

    return cast(F, wrapper)


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and isinstance(root.obj, dict) and root.obj.get("debug"))
