"""What a merge adds, or would add, and what it refused: the plan :func:`~clusterkg.loaders.merge.plan.plan_merge`
works out, with the text of every file it changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clusterkg.model.problems import Problem


@dataclass
class MergeResult:
    """What a merge adds, or would add, and what it refused."""

    data: Path
    added_organizations: list[str] = field(default_factory=list)
    added_agreements: list[str] = field(default_factory=list)
    updated_agreements: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)  # accepted, already in the data
    same_organizations: list[str] = field(default_factory=list)  # proposed, but on record by name
    pending: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: path -> (text before, or None for a new file; text after)
    files: dict[Path, tuple[str | None, str]] = field(default_factory=dict)

    def summary(self) -> list[str]:
        lines = []
        for org in self.added_organizations:
            lines.append(f"new organisation {org}")
        for agreement in self.added_agreements:
            lines.append(f"new agreement {agreement}")
        for agreement, what in self.updated_agreements.items():
            lines.append(f"added to {agreement}: {'; '.join(what)}")
        for text in self.unchanged:
            lines.append(f"already in the data: {text}")
        for text in self.same_organizations:
            lines.append(f"proposed organisation {text} (the same name): the one on record is used")
        return lines
