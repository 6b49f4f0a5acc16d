"""Dependency resolution for skills: PubGrub over version intervals.

``resolve(root, provider, preferred=...)`` picks one version of every skill a project needs,
or raises :class:`~tank.core.errors.ResolutionError` explaining why none exists. The algorithm
sees the registry only through the :class:`Provider` protocol; it performs no I/O itself.
"""

from tank.core.resolver.provider import Provider, Resolution
from tank.core.resolver.report import ResolutionFailure
from tank.core.resolver.solver import resolve

__all__ = ["Provider", "Resolution", "ResolutionFailure", "resolve"]
