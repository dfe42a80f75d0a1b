"""Rendering results and errors for people and for machines, and the one place where the end
of a command becomes its exit code."""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, Protocol, TypeVar

import click
from pydantic import BaseModel

from scdi.connector.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, ScdiError, ValidationFailed

P = ParamSpec("P")
T = TypeVar("T")

HANDLED = "__scdi_handles_errors__"  # set on every command callback wrapped by handle_errors


class Outcome(Protocol):
    """A report a command ends with: not ok means findings (exit code 1)."""

    @property
    def ok(self) -> bool: ...


def exit_code(end: Outcome | BaseException | None) -> int:
    """The one mapping from how a command ended to its exit code: a report by its `ok`, a
    library error by its own `exit_code`, Ctrl-C as 130."""
    if end is None:
        return EXIT_OK
    if isinstance(end, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(end, ScdiError):
        return end.exit_code
    if isinstance(end, BaseException):
        raise TypeError(f"no exit code for {end.__class__.__name__}: only library errors are mapped") from end
    return EXIT_OK if end.ok else EXIT_FINDINGS


def to_jsonable(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, dict):
        return {str(k): to_jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in data]
    return data


def emit(data: T, as_json: bool, render: Callable[[T], None] | None = None) -> None:
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


def handle_errors(func: Callable[P, Outcome | None]) -> Callable[P, None]:
    """Wraps every command: the report it returns, a library error or Ctrl-C becomes its exit
    code (`exit_code`); an error is one line with a hint, after the findings it carries;
    --debug adds the traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        as_json = bool(kwargs.get("as_json"))
        try:
            end: Outcome | BaseException | None = func(*args, **kwargs)
        except ScdiError as exc:
            if _debug():
                traceback.print_exc(file=sys.stderr)
            if isinstance(exc, ValidationFailed):
                for finding in exc.findings:
                    click.echo(finding.one_line(), err=True)
            click.echo(f"Error: {exc.one_line()}", err=True)
            if as_json:
                emit(error_json(exc), True)
            end = exc
        except KeyboardInterrupt as exc:
            if _debug():
                traceback.print_exc(file=sys.stderr)
            click.echo("Interrupted.", err=True)
            if as_json:
                emit({"error": {"kind": "Interrupted", "message": "Interrupted.", "hint": "",
                                "exitCode": EXIT_INTERRUPTED}}, True)
            end = exc
        code = exit_code(end)
        if code != EXIT_OK:
            sys.exit(code)

    setattr(wrapper, HANDLED, True)
    return wrapper


def error_json(exc: ScdiError) -> dict[str, Any]:
    """A failed command's answer on stdout under --json: the same words as the one line."""
    body: dict[str, Any] = {"kind": exc.__class__.__name__, "message": exc.message, "hint": exc.hint,
                            "exitCode": exc.exit_code}
    status = getattr(exc, "status", None)
    if status is not None:
        body["status"] = status
    if isinstance(exc, ValidationFailed):
        body["findings"] = [f.to_json() for f in exc.findings]
    return {"error": body}


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and isinstance(root.obj, dict) and root.obj.get("debug"))
