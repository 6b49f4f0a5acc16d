"""Software bills of materials (CycloneDX 1.6 JSON) for skill versions.

- :func:`required_packages` reads a skill's files (never executing them) and lists the Python
  and npm packages its scripts need, with the gaps that make the list incomplete
  (:mod:`tank.core.sbom.requirements`).
- :func:`build_sbom` turns the files and the manifest into a deterministic CycloneDX document
  (:mod:`tank.core.sbom.build`).
"""

from tank.core.sbom.build import SBOM_REVISION, SPEC_VERSION, build_sbom
from tank.core.sbom.model import NPM, PYPI, PackageRef, Sbom
from tank.core.sbom.requirements import required_packages

__all__ = [
    "NPM",
    "PYPI",
    "SBOM_REVISION",
    "SPEC_VERSION",
    "PackageRef",
    "Sbom",
    "build_sbom",
    "required_packages",
]
