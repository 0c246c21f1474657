"""Parameters by name on the command line: ``-p org=LINK-J``, ``--country Japan``, ``--for 'CGT Catapult'``.

An organisation, programme, person or event parameter takes an id, a name, an alias or a name in
another language; a country parameter an ISO code or an English name ("UK" is GB, with a note).
Names are resolved by :class:`clusterkg.loaders.names_index.Names` (the loaders' resolver): against
a build folder's OUT/names.json for ``query``, against the loaded records for ``analyze`` and
``map``. An unknown or ambiguous value is an error that names the closest known names; a resolved
name that is not the id is reported on stderr only when there is something to learn (a country
code, a rename).

This module must not import the other command modules (they import it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clusterkg.cli._common import log
from clusterkg.model.problems import ClusterKGError

if TYPE_CHECKING:
    from clusterkg.loaders.names_index import Names


def build_names(out: Path) -> Names | None:
    """The names index of build folder ``out`` (checked against its manifest), or None when the
    folder has no manifest or was built before builds wrote one (then values are taken as ids)."""
    from clusterkg.loaders.names_index import FILE, Names
    from clusterkg.manifest import check_build, read_manifest

    manifest = read_manifest(out)
    if manifest is None:
        return None  # the command that opens the build says what is wrong with it
    if FILE not in manifest["files"]:
        log(f"note: {out} has no {FILE} (an older build): names are not looked up, give ids; build again to use names")
        return None
    check_build(out, [FILE])
    return Names.read(out / FILE)


def resolve_value(names: Names | None, kind: str, value: str, what: str, renames: bool = True) -> str:
    """The id or country code ``value`` means; ``what`` names the parameter in an error
    (``query partners: parameter org (organization)``, ``--country``). Notes go to stderr
    (``renames`` False: not the note on a former name, for commands that say it themselves)."""
    from clusterkg.loaders.names_index import KINDS
    from clusterkg.loaders.resolve import ResolveError
    from clusterkg.model.countries import country_code

    if kind not in KINDS or not isinstance(value, str) or not value.strip() or "\x00" in value:
        return value  # the query library refuses what is not a value of its type
    try:
        if kind == "country":
            found, note = country_code(value)
        elif names is None:
            return value
        else:
            found, note = names.resolve(kind, value)
    except (ResolveError, ValueError) as error:
        raise ClusterKGError(f"{what}: {error}") from None
    if note and (renames or kind == "country"):
        log(f"note: {note}")
    return found


def resolve_params(query: Any, values: Mapping[str, Any], names: Names | None) -> dict[str, Any]:
    """``values`` for named query ``query`` with each organisation, programme, person, event and
    country parameter resolved to its id or code (``names`` None: countries only)."""
    types = {p.name: p.type for p in query.params}
    return {name: resolve_value(names, types[name], value, f"query {query.name}: parameter {name} ({types[name]})")
            if name in types else value for name, value in values.items()}


def resolve_countries(values: Iterable[str] | None, option: str = "--country") -> list[str] | None:
    """Country codes of ``--country`` values (codes or English names); None when none is given."""
    values = list(values or ())
    return [resolve_value(None, "country", v, f"{option} {v!r}") for v in values] or None


def resolve_org(names: Names, value: str | None, option: str) -> str | None:
    """The organisation id of an option's value (id, name, alias); None stays None. A former name
    gives the former id: the analyses map it to its lineage and say so."""
    if value is None:
        return None
    return resolve_value(names, "organization", value, option, renames=False)
