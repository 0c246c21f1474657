"""The data files' new texts: new facts inserted into the records on record, new records
into the merged file.

New organisations and agreements go into a new file ``DATA/merged-<date>.yaml``
(appended to when it exists), or are appended to DATA when it is a single YAML
file; additions to a record on record are inserted into that record's text in
its YAML file. Every other byte of the data files stays as it was.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from clusterkg.loaders.merge.matching import Known
from clusterkg.loaders.merge.result import MergeResult
from clusterkg.loaders.merge.yaml_text import Edits, dump, read_text, record_at
from clusterkg.model.problems import Location, Problem


class FileChanges:
    """The changes to the files under ``data``, file by file, until :meth:`compose` writes out their texts."""

    def __init__(self, data: Path):
        self.data = data
        self.edits: dict[Path, Edits] = {}

    def add_to_record(self, target: Known, new: dict[str, Any]) -> str | None:
        """Insert ``new`` (sources, signatories, dates) into the text of ``target``'s record;
        a problem when it cannot be done without rewriting."""
        where = target.where
        if where is None:
            return f"cannot find where {target.id} is written"
        path = Path(where.file)
        if path.suffix.lower() not in (".yaml", ".yml"):
            return (f"{target.id} is written in {path}; merge edits YAML files only: "
                    "add the new facts to it by hand")
        edits = self.edits.get(path)
        if edits is None:
            try:
                edits = self.edits[path] = Edits(path, read_text(path))
            except (OSError, yaml.YAMLError, ValueError) as error:
                return f"cannot edit {path}: {error}"
        node = record_at(edits.tree, where.line)
        if node is None:
            return f"cannot find the record of {target.id} at {where}"
        if node.flow and node.multiline(edits.text):
            return f"{target.id} at {where} is a flow mapping over several lines; add the new facts to it by hand"
        keys = node.keys()
        for key in ("sources", "signatories"):
            if key in new:
                problem = edits.append_items(node, key, new[key])
                if problem:
                    return problem
        if "id" not in keys:  # its id is derived: pin it, so a more precise date does not change it
            edits.set_scalar(node, "id", target.id, quote=False)
        for key in ("signed", "announced"):
            if key in new:
                edits.set_scalar(node, key, new[key])
        return None

    def compose(self, result: MergeResult, new_orgs: list[dict[str, Any]], new_agreements: list[dict[str, Any]],
                today: dt.date) -> None:
        """Put into ``result.files`` the text of every changed file, with the new records added."""
        for path, edits in self.edits.items():
            if edits.changes:
                result.files[path] = (edits.text, edits.apply())
        if not new_orgs and not new_agreements:
            return
        sections = {"organizations": new_orgs, "agreements": new_agreements}
        target = self.data if self.data.is_file() else self.data / f"merged-{today.isoformat()}.yaml"
        before = result.files[target][1] if target in result.files else (read_text(target) if target.exists() else None)
        if before is None or not before.strip():
            header = (f"# Records merged by `clusterkg merge` on {today.isoformat()} from reviewed candidates.\n"
                      "# Each agreement keeps its sources, with the evidence, and how it was extracted.\n")
            body = dump({k: v for k, v in sections.items() if v})
            result.files[target] = (before, header + body)
            return
        edits = Edits(target, before)
        root = edits.tree
        if root is None or root.kind != "map":
            result.problems.append(Problem(Location(str(target)), "expected a mapping with lists under organizations and agreements; nothing was added to it"))
            return
        for key, items in sections.items():
            if items:
                problem = edits.append_items(root, key, items)
                if problem:
                    result.problems.append(Problem(Location(str(target)), problem))
                    return
        result.files[target] = (result.files.get(target, (before, ""))[0], edits.apply())
