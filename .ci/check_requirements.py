"""Check the requirements between the four distributions against the packaging policy.

Policy (README, "For packagers"): a distribution requires a sibling with a
lower bound only (``txaio-core>=26.11.1``): no upper cap, no exact pin. Every
such requirement must admit the sibling's current version in the repository,
so a release that a dependent could not install with fails CI.

Usage: ``python .ci/check_requirements.py`` (exit status 1 on a violation).
"""

from __future__ import annotations

import sys
from pathlib import Path

from monorepo import ROOT, packages
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def sibling_requirements(root: Path = ROOT) -> list[tuple[str, str, Requirement]]:
    """Return ``(dist, where, requirement)`` for every requirement on a sibling distribution.

    ``where`` is ``"dependencies"`` or ``"extra <name>"``.
    """
    found = packages(root)
    siblings = {canonicalize_name(name) for name in found}
    result: list[tuple[str, str, Requirement]] = []
    for dist, package in found.items():
        project = package.pyproject["project"]
        listed = [("dependencies", text) for text in project.get("dependencies", [])]
        for extra, texts in project.get("optional-dependencies", {}).items():
            listed += [(f"extra {extra}", text) for text in texts]
        for where, text in listed:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) in siblings:
                result.append((dist, where, requirement))
    return result


def problems(root: Path = ROOT) -> list[str]:
    """Return one message per sibling requirement that breaks the policy; empty when all hold."""
    found = packages(root)
    current = {canonicalize_name(name): Version(p.read_version()) for name, p in found.items()}
    messages: list[str] = []
    for dist, where, requirement in sibling_requirements(root):
        sibling = canonicalize_name(requirement.name)
        label = f"{dist} ({where}) requires {requirement}"
        operators = sorted({spec.operator for spec in requirement.specifier})
        if operators != [">="]:
            messages.append(
                f"{label}: a sibling is required with a single lower bound `>=` only "
                f"(no cap, no pin), found operators {operators or 'none'}"
            )
        if not requirement.specifier.contains(current[sibling], prereleases=True):
            messages.append(
                f"{label}: does not admit {requirement.name} {current[sibling]}, "
                "its current version in the repository"
            )
    return messages


def main() -> int:
    """Print the violations and return the exit status (0 when the policy holds)."""
    found = problems()
    for message in found:
        print(f"error: {message}", file=sys.stderr)
    if found:
        return 1
    print(f"sibling requirements: {len(sibling_requirements())} checked, all hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
