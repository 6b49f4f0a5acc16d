"""``GET /v1/skills/{scope}/{name}/diff/{v1}/{v2}``: what changed between two versions.

Permissions added and removed (with the classification enforced semver uses), interface
changes, the bump the change requires, and the files added, removed and changed with
unified diffs. Same access rules as reading the versions (private skills 404 to outsiders,
unpublished versions 410, failed scans 451: their files are never revealed).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import PrincipalDep, RegistryDep, SessionDep
from tank.server.api.schemas import error_responses
from tank.server.services import skills
from tank.server.services.diff import diff_versions

router = APIRouter(tags=["skills"])


class PermissionDiffModel(BaseModel):
    """Permission entries added and removed, by key, and the kind of change."""

    added: dict[str, list[str]] = Field(examples=[{"network.outbound": ["api.acme.dev"]}])
    removed: dict[str, list[str]]
    change: str = Field(description="none, removal, additive or additive_dangerous")


class InterfaceChangeModel(BaseModel):
    """One change of the interface schemas."""

    kind: str = Field(description="breaking or additive")
    side: str = Field(description="inputs or outputs")
    pointer: str = Field(description="JSON pointer into that side's schema")
    text: str


class InterfaceDiffModel(BaseModel):
    """The interface changes, inputs first."""

    changes: list[InterfaceChangeModel]


class RequiredBumpModel(BaseModel):
    """The smallest bump the changes allow, and why."""

    level: str = Field(description="patch, minor or major", examples=["major"])
    reasons: list[str]


class BumpModel(BaseModel):
    """Whether ``to`` gives the required bump over ``from`` (null when ``to`` is not above)."""

    actual: str
    satisfied: bool
    suggested: str = Field(description="the smallest version that would satisfy it")


class FileChangeModel(BaseModel):
    """A file that differs; ``diff`` is a unified diff for text files."""

    path: str
    kind: str = Field(description="added, removed, content, mode or content+mode")
    diff: str | None = None
    note: str | None = Field(default=None, examples=["binary, sizes 10 → 12 bytes"])


class FilesDiffModel(BaseModel):
    """Files added, removed and changed, each sorted by path."""

    added: list[FileChangeModel]
    removed: list[FileChangeModel]
    changed: list[FileChangeModel]


class VersionDiff(BaseModel):
    """Everything that changed from one version to another."""

    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(examples=["@acme/pdf-tools"])
    from_: str = Field(alias="from", examples=["1.0.0"])
    to: str = Field(examples=["2.0.0"])
    permissions: PermissionDiffModel
    interface: InterfaceDiffModel
    required_bump: RequiredBumpModel
    bump: BumpModel | None
    files: FilesDiffModel


@router.get(
    "/skills/{scope}/{name}/diff/{v1}/{v2}",
    response_model=VersionDiff,
    responses=error_responses(401, 404, 410, 422, 451),
)
def version_diff(
    scope: str, name: str, v1: str, v2: str, reg: RegistryDep, db: SessionDep, who: PrincipalDep
) -> Any:
    """What changed from ``v1`` to ``v2``: permissions, interface, required bump, files."""
    doc = diff_versions(db, reg, who, skills.full_name(scope, name), v1, v2)
    return JSONResponse(doc, headers={"Vary": "Authorization"})
