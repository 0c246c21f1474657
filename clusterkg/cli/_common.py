"""What every command shares, written once: messages and progress on stderr, loading
inputs or failing with their problems, ``-p name=value`` parameters, one renderer of
result rows as ``table``, ``json`` or ``csv``, and the options several commands take.

Defaults that the library defines (the betweenness threshold, the batch size, the
map's measures, the RDF base) are read from it, not typed again here; they are read
when a command runs or shows its help, so ``clusterkg --help`` stays fast.

This module must not import the other command modules (they import it).
"""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from clusterkg.model.problems import ClusterKGError, InputError

if TYPE_CHECKING:
    import pandas as pd

    from clusterkg.model.dataset import Dataset

# -- messages ------------------------------------------------------------------------------------

_PLURALS = {"person": "people", "programme": "programmes"}


def log(message: str) -> None:
    """A message for the person at the terminal: stderr, so stdout stays the result."""
    click.echo(message, err=True)


def count(n: int, noun: str) -> str:
    """``count(1, "problem")`` -> ``1 problem``; ``count(2, "person")`` -> ``2 people``."""
    return f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"


@contextmanager
def progress(label: str) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """Progress bars on stderr, drawn only on a terminal.

    Yields ``start(total)``, which opens a bar and returns its ``update(n)``; the
    bars close when the block ends. The shape ``load(inputs, progress=start)`` wants.
    """
    bars = []

    def start(total: int) -> Callable[[int], None]:
        if not sys.stderr.isatty():  # click would print the bare label, with no newline
            return lambda n: None
        bar = click.progressbar(length=total, label=label, file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return bar.update

    try:
        yield start
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an OSError while writing ``path`` into a message that names it."""
    try:
        yield
    except OSError as error:
        raise ClusterKGError(f"{path}: cannot write: {error.strerror or error}") from None


# -- inputs --------------------------------------------------------------------------------------


def load_or_fail(inputs: Iterable[Path], *, skip_invalid: bool = False, label: str = "loading") -> Dataset:
    """The dataset of ``inputs``; its problems raise :class:`InputError` (the group prints
    them and exits 1), or with ``skip_invalid`` are counted on stderr and left out."""
    from clusterkg.pipeline import load

    with progress(label) as start:
        ds = load(list(inputs), start)
    if ds.problems:
        if not skip_invalid:
            raise InputError(ds.problems)
        log(f"skipped {count(len(ds.rejected), 'invalid record')}; see `clusterkg validate`")
    return ds


def build_records(out: Path) -> Dataset:
    """The records of a build folder (OUT/records.jsonl, written by ``clusterkg build``)."""
    from clusterkg.manifest import check_build

    check_build(out, ["records.jsonl"], deep=True)  # a truncated file would load as fewer records
    return load_or_fail([out / "records.jsonl"])


# -- query parameters ----------------------------------------------------------------------------


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``-p`` values as written: ``("org=link-j", "since=2017")`` -> ``{"org": "link-j", "since": "2017"}``.

    A pair without ``=`` or a name given twice is a user error.
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ClusterKGError(f"-p {pair!r}: write a parameter as name=value (e.g. -p org=link-j)")
        if name in values:
            raise ClusterKGError(f"-p {name}: given twice")
        values[name] = value
    return values


def query_params(query: Any, pairs: Iterable[str]) -> dict[str, Any]:
    """``-p`` values for a named query (Cypher or SPARQL), integers read as integers.

    Only the text is read here; whether a value fits its declared type, and which
    parameters the query takes, the query library checks.
    """
    types = {p.name: p.type for p in query.params}
    values: dict[str, Any] = parse_params(pairs)
    for name, text in values.items():
        if types.get(name) == "integer":
            try:
                values[name] = int(text)
            except ValueError:
                raise ClusterKGError(f"query {query.name}: parameter {name} (integer): "
                                     f"expected an integer, got {text!r}") from None
    return values


def list_queries(queries: Iterable[Any]) -> None:
    """``--list``: each query's name and its whole description (limits included), then its parameters."""
    import shutil
    import textwrap

    width = max(60, min(100, shutil.get_terminal_size((100, 24)).columns))
    for query in queries:
        doc = " ".join(query.doc.split()) or "(no description)"
        text = textwrap.fill(f"{query.name}: {doc}", width=width, subsequent_indent="    ")
        declared = ", ".join(_describe(p) for p in query.params) or "no parameters"
        click.echo(f"{text}\n    params: {declared}")


def _describe(param: Any) -> str:
    if getattr(param, "required", True):
        return f"{param.name} ({param.type})"
    return f"{param.name} ({param.type}, default {param.default})"


# -- output --------------------------------------------------------------------------------------

FORMATS = ("table", "json", "csv")


def echo_rows(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    """A query's answer on stdout; a table ends with how many rows it has, as both query languages do."""
    click.echo(render(rows, fmt, columns))
    if fmt == "table" and rows:
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def render(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None,
           width: int | None = None) -> str:
    """Result rows as an aligned table, JSON (a list of objects) or CSV, the same for every command.

    ``columns`` defaults to the keys of the first row. Missing values and NaN are
    empty (null in JSON); lists are joined with ``;`` in CSV and ``, `` in a table
    and stay lists in JSON; booleans are ``true`` / ``false``; a table aligns
    numbers right and shows floats with 4 significant digits (CSV and JSON keep them whole).
    A CSV cell that a spreadsheet would run as a formula (``=...``, ``-x``, ``@x``)
    gets a ``'`` before it (:func:`clusterkg.loaders.csvfiles.spreadsheet_safe`).

    Examples
    --------
    >>> print(render([{"org": "link-j", "partners": 14, "aliases": ["LINK-J"]}], "table"))
    org     partners  aliases
    ------  --------  -------
    link-j        14  LINK-J
    >>> print(render([{"org": "a", "score": 0.123456, "tags": ["x", "y"], "ok": True}], "csv"))
    org,score,tags,ok
    a,0.123456,x;y,true
    >>> render([], "table")
    '(no rows)'
    """
    columns = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    plain_rows = [{c: _plain(row.get(c)) for c in columns} for row in rows]
    if fmt == "json":
        return json.dumps(plain_rows, ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        from clusterkg.loaders.csvfiles import spreadsheet_safe  # no formula runs when a spreadsheet opens it

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([spreadsheet_safe(_text(row[c], ";")) for c in columns] for row in plain_rows)
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if not rows:
        return "(no rows)"
    cells = [[_text(row[c], ", ", table=True).replace("\n", " ") for c in columns] for row in plain_rows]
    numeric = [all(_is_number(row[c]) for row in plain_rows if row[c] is not None) for c in columns]
    return _fit(columns, cells, numeric, width if width is not None else terminal_width())


#: The widest a text cell is cut to when a table is too wide for the terminal (numbers are never cut).
TEXT_CUT = 24


def terminal_width() -> int | None:
    """The width tables are fitted to: $COLUMNS when set, else the terminal's; None (no limit)
    when stdout is no terminal (a file or a pipe gets whole lines)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _fit(columns: list[str], cells: list[list[str]], numeric: list[bool], limit: int | None) -> str:
    """Aligned columns, fitted to ``limit`` characters: long text cut with '…', then the columns
    split into blocks one under the other, each led by the first column (the row's key)."""
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    if limit is not None and sum(widths) + 2 * (len(widths) - 1) > limit:
        for i, right in enumerate(numeric):
            if i and not right and widths[i] > TEXT_CUT:  # the first column, the row's key, is kept whole
                widths[i] = max(TEXT_CUT, len(columns[i]))
                for line in cells:
                    if len(line[i]) > widths[i]:
                        line[i] = line[i][: widths[i] - 1] + "…"
    blocks: list[list[int]] = [[]]
    for i in range(len(columns)):
        block = blocks[-1]
        used = sum(widths[j] + 2 for j in block)
        if limit is not None and block and used + widths[i] > limit and i > 0:
            blocks.append([0])  # a new block, led by the key
        blocks[-1].append(i)

    def line(values: Sequence[str], block: list[int]) -> str:
        return "  ".join(values[i].rjust(widths[i]) if numeric[i] else values[i].ljust(widths[i]) for i in block).rstrip()

    parts = ["\n".join([line(columns, block), "  ".join("-" * widths[i] for i in block),
                        *(line(values, block) for values in cells)]) for block in blocks]
    return "\n\n".join(parts)


def render_frame(frame: pd.DataFrame, fmt: str, *, index: bool = True, top: int | None = None) -> str:
    """A DataFrame through :func:`render`, its index as the first column(s) when ``index``."""
    if top is not None:
        frame = frame.head(top)
    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    rows = [dict(zip(columns, values)) for values in frame.itertuples(index=False, name=None)]
    return render(rows, fmt, columns)


def _plain(value: Any) -> Any:
    """NumPy scalars as Python values, NaN and infinities as None, lists (and arrays) as lists."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # a NumPy scalar gives its Python value, an array a list
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: Any, sep: str, table: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(_text(v, sep, table) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if table and isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# -- options -------------------------------------------------------------------------------------


class FromLibrary:
    """A value the library defines, imported when first needed: ``module.name``, or with
    ``parameter`` the default of that parameter of the function ``module.name``.

    As a click ``default`` it is called when the command runs, and ``--help``
    shows it (click prints ``str()`` of a default that is not a function).

    Examples
    --------
    >>> FromLibrary("clusterkg.graph.analysis.brokerage", "gould_fernandez_folded", "permutations")()
    1000
    """

    def __init__(self, module: str, name: str, parameter: str | None = None):
        self.module, self.name, self.parameter = module, name, parameter

    def __call__(self) -> Any:
        value = getattr(importlib.import_module(self.module), self.name)
        if self.parameter is not None:
            value = inspect.signature(value).parameters[self.parameter].default
        return value

    def __str__(self) -> str:
        return str(self())


class EnvOrLibrary(FromLibrary):
    """The environment variable ``variable`` when set (and not empty), else the library's value."""

    def __init__(self, variable: str, module: str, name: str):
        super().__init__(module, name)
        self.variable = variable

    def __call__(self) -> Any:
        return os.environ.get(self.variable) or super().__call__()

    def __str__(self) -> str:
        return f"${self.variable}, else {super().__call__()}"


#: The base IRI of the data's own nodes: $CLUSTERKG_BASE, else clusterkg.graph.rdf.DEFAULT_BASE.
default_base = EnvOrLibrary("CLUSTERKG_BASE", "clusterkg.graph.rdf", "DEFAULT_BASE")


class LibraryChoice(click.Choice):
    """A :class:`click.Choice` of a list the library defines, imported when first needed."""

    def __init__(self, values: FromLibrary, case_sensitive: bool = True):
        self._values = values
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._values())


def options(*decorators: Callable) -> Callable:
    """Several click decorators as one, applied in the order written (top to bottom)."""

    def apply(function: Callable) -> Callable:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply




def _date_order(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--dayfirst`` / ``--monthfirst``: how the parser reads 3/4/2019 while the command runs."""
    if not value:
        return
    if ctx.meta.setdefault("clusterkg.date_order", param.name) != param.name:
        raise click.UsageError("give --dayfirst or --monthfirst, not both")
    from clusterkg.model.dates import day_order

    ctx.with_resource(day_order(param.name == "dayfirst"))  # undone when the command ends


#: The input files and folders, with ``--dayfirst`` / ``--monthfirst`` for numeric dates such as 3/4/2019
#: (refused by default: they could be 3 April or 4 March).
INPUTS = options(
    click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
    click.option("--dayfirst", is_flag=True, expose_value=False, callback=_date_order,
                 help="Read numeric dates such as 3/4/2019 day first (3 April 2019)."),
    click.option("--monthfirst", is_flag=True, expose_value=False, callback=_date_order,
                 help="Read numeric dates such as 3/4/2019 month first (4 March 2019)."),
)
FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                      help="table: aligned columns; json: a list of objects; csv: a header and one line per row.")
TOP = click.option("--top", type=click.IntRange(min=1), help="Print only the first N rows.")
SEED = click.option("--seed", type=int, default=0, show_default=True, help="Seed of every random choice.")
PARAMS = click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                      help="A query parameter; repeat for each.")
LIST = click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters.")
BASE = click.option("--base", default=default_base, show_default=True,
                    help="Base IRI of the data's own nodes (organisations, agreements ...).")


def skip_invalid_option(what: str) -> Callable:
    """``--skip-invalid``: go on with the valid records (``what`` they are used for)."""
    return click.option("--skip-invalid", is_flag=True, help=f"{what} the valid records when some are invalid.")


def filters(as_of: bool = True) -> Callable:
    """``--as-of`` (unless ``as_of`` is false), ``--type`` and ``--country``: what goes into the graph."""
    bundle = [
        click.option("--type", "types", multiple=True, help="Keep only this agreement type (repeatable)."),
        click.option("--country", "countries", multiple=True,
                     help="Keep only organisations in this country: an ISO code or an English name "
                          "(JP, Japan, United Kingdom; repeatable)."),
    ]
    if as_of:
        bundle.insert(0, click.option("--as-of", help="Snapshot: agreements in force on this date "
                                                      "(YYYY, YYYY-MM or YYYY-MM-DD)."))
    return options(*bundle)


#: ``--exact-threshold`` and ``--sample-size``, with the defaults of clusterkg.graph.analysis.centrality.
ESTIMATES = options(
    click.option("--exact-threshold", type=click.IntRange(min=0), show_default=True,
                 default=FromLibrary("clusterkg.graph.analysis.centrality", "EXACT_THRESHOLD"),
                 help="Betweenness and closeness are exact up to this many organisations, estimated above."),
    click.option("--sample-size", type=click.IntRange(min=2), show_default=True,
                 default=FromLibrary("clusterkg.graph.analysis.centrality", "SAMPLE_SIZE"),
                 help="Sources sampled for an estimate."),
)

#: ``--batch-size`` with the default of clusterkg.graph.cypher.load.
BATCH_SIZE_OPTION = click.option("--batch-size", type=click.IntRange(min=1), show_default=True,
                          default=FromLibrary("clusterkg.graph.cypher.load", "BATCH_SIZE"),
                          help="Rows per transaction.")



