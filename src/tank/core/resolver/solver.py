"""PubGrub version solving (after Natalie Weizenbaum's design for Dart pub and pubgrub-rs).

The loop alternates two steps until every required package has a version:

* **unit propagation** — for each incompatibility touching a package that changed, if all but
  one of its terms hold, the last one must not: record its negation as a derivation. If all
  hold, we have a conflict, and **conflict resolution** derives a new incompatibility (the
  root cause), backjumps to where it becomes "almost satisfied", and propagates from there.
* **decision making** — pick the undecided package with the fewest candidate versions (ties by
  name, so equal inputs give equal outputs), choose its preferred or highest allowed version,
  and add that version's dependencies as incompatibilities.

Learned incompatibilities are never forgotten, so the search never repeats a mistake, and the
chain of derivations behind the final failure is the explanation shown to the user.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from tank.core.resolver.cycles import find_cycle
from tank.core.resolver.incompatibility import ROOT, Cause, Incompatibility
from tank.core.resolver.partial_solution import PartialSolution
from tank.core.resolver.provider import Provider, Resolution
from tank.core.resolver.replay import SavedTrail, replay
from tank.core.resolver.report import ResolutionFailure, explain, unknown_root_error
from tank.core.resolver.setops import relation as term_relation
from tank.core.resolver.source import ROOT_VERSION, Source
from tank.core.resolver.term import CONTRADICTED, INCONCLUSIVE, SATISFIED, Term
from tank.core.semver.ranges import Range
from tank.core.semver.version import Version
from tank.core.semver.version_set import VersionSet

__all__ = ["resolve"]

_NO_PREFERENCES: Mapping[str, Version] = {}


def resolve(
    root: Mapping[str, Range],
    provider: Provider,
    *,
    preferred: Mapping[str, Version] = _NO_PREFERENCES,
) -> Resolution:
    """Choose one version of every skill needed by a project requiring ``root``.

    ``preferred`` (typically the versions in an existing lockfile) are tried first when they
    are allowed, so re-resolving an unchanged project changes nothing. Raises
    :class:`~tank.core.errors.ResolutionError` when no choice exists (the message explains
    why, PubGrub style) or when the chosen skills depend on each other in a cycle.
    """
    return _Solver(root, provider, preferred).solve()


class _Solver:
    __slots__ = (
        "_by_package",
        "_conflicted",
        "_counts",
        "_heap",
        "_log",
        "_mark",
        "_pending",
        "_preferred",
        "_pushes",
        "_relations",
        "_solution",
        "_source",
    )

    def __init__(
        self, root: Mapping[str, Range], provider: Provider, preferred: Mapping[str, Version]
    ) -> None:
        self._source = Source(provider, root)
        self._preferred = preferred
        self._solution = PartialSolution()
        self._by_package: dict[str, list[Incompatibility]] = {}
        # Candidate counts per (package, allowed set): recounting is a loop over versions.
        self._counts: dict[tuple[str, VersionSet], int] = {}
        # (candidate count, name, push number, allowed set); stale entries are skipped. The
        # push number breaks ties between entries of one package (sets are not ordered).
        self._heap: list[tuple[int, int, str, int, VersionSet]] = []
        # Packages that took part in a conflict are decided first from then on (as uv
        # does): after a backjump the solver re-decides everything decided before them, so
        # the sooner the troublesome packages are settled, the less work is redone.
        self._conflicted: set[str] = set()
        # (id(term), id(knowledge)) -> (relation, term, knowledge): the terms are kept alive so
        # their ids cannot be reused. The partial solution hands out the same knowledge
        # objects when it repeats work after a backjump, so this cache hits across backjumps.
        self._relations: dict[tuple[int, int], tuple[int, Term, Term]] = {}
        self._pushes = 0
        # Every incompatibility in the order added, and (trail length, len(_log)) at the last
        # propagation fixpoint: what a saved trail is measured against (see replay.py).
        self._log: list[Incompatibility] = []
        self._mark = (0, 0)
        self._pending: SavedTrail | None = None

    def solve(self) -> Resolution:
        for name in sorted(self._source.dependencies(ROOT, ROOT_VERSION)):
            if not self._source.versions(name):
                raise unknown_root_error(name)
        self._add(Incompatibility((Term(ROOT, VersionSet.exact(ROOT_VERSION), False),), Cause.ROOT))
        changed: list[str] | None = [ROOT]
        while changed is not None:
            self._propagate(changed)
            changed = self._decide()
        return self._result()

    # -- unit propagation --------------------------------------------------------------------

    def _add(self, incompatibility: Incompatibility) -> None:
        self._log.append(incompatibility)
        for term in incompatibility.terms:
            self._by_package.setdefault(term.package, []).append(incompatibility)

    def _relation(self, term: Term) -> int:
        knowledge = self._solution.known.get(term.package)
        if knowledge is None:
            return INCONCLUSIVE
        key = (id(term), id(knowledge))
        cached = self._relations.get(key)
        if cached is None:
            relation = term_relation(term, knowledge)
            self._relations[key] = (relation, term, knowledge)
            return relation
        return cached[0]

    def _propagate(self, packages: list[str]) -> None:
        # An insertion-ordered dict as a set keeps the propagation order deterministic.
        changed: dict[str, None] = dict.fromkeys(packages)
        solution = self._solution
        known = solution.known
        relations = self._relations
        while changed:
            package = next(iter(changed))
            del changed[package]
            incompatibilities = self._by_package.get(package, [])
            # Newest first: learned incompatibilities are more general, so looking at them
            # first derives stronger facts sooner (as pub does).
            for k in range(len(incompatibilities) - 1, -1, -1):
                incompatibility = incompatibilities[k]
                terms = incompatibility.terms
                # The changed package's term first: it is the one most likely to have just
                # become contradicted, which settles the incompatibility in one comparison.
                if len(terms) == 2 and terms[1].package == package:
                    terms = (terms[1], terms[0])
                unsatisfied: Term | None = None
                for term in terms:
                    knowledge = known.get(term.package)
                    if knowledge is None:
                        relation = INCONCLUSIVE
                    else:
                        key = (id(term), id(knowledge))
                        cached = relations.get(key)
                        if cached is None:
                            relation = term_relation(term, knowledge)
                            relations[key] = (relation, term, knowledge)
                        else:
                            relation = cached[0]
                    if relation == CONTRADICTED:
                        break
                    if relation == INCONCLUSIVE:
                        if unsatisfied is not None:
                            break
                        unsatisfied = term
                else:
                    if unsatisfied is None:
                        cause = self._resolve_conflict(incompatibility)
                        changed.clear()
                        # The root cause is now "almost satisfied": exactly one term is left.
                        derived = self._almost_satisfied_term(cause)
                        solution.derive(derived.negate(), cause)
                        changed[derived.package] = None
                        break
                    solution.derive(unsatisfied.negate(), incompatibility)
                    changed[unsatisfied.package] = None

    def _almost_satisfied_term(self, incompatibility: Incompatibility) -> Term:
        unsatisfied = None
        for term in incompatibility.terms:
            relation = self._solution.relation(term)
            if relation == INCONCLUSIVE:
                unsatisfied = term
            elif relation != SATISFIED:
                raise AssertionError(f"[bug] {incompatibility!r} is contradicted after backjump")
        if unsatisfied is None:
            raise AssertionError(f"[bug] {incompatibility!r} is satisfied after backjump")
        return unsatisfied

    def _resolve_conflict(self, incompatibility: Incompatibility) -> Incompatibility:
        solution = self._solution
        for term in incompatibility.terms:
            if term.package not in self._conflicted:
                self._conflicted.add(term.package)
                solution.changed.add(term.package)  # re-queue with its new priority
        new = False
        while not incompatibility.is_failure:
            latest_term: Term | None = None
            latest = None
            difference: Term | None = None
            # Never backjump past the project's own decision at level 1.
            previous_level = 1
            for term in incompatibility.terms:
                satisfier = solution.satisfier(term)
                if latest is None or latest.index < satisfier.index:
                    if latest is not None:
                        previous_level = max(previous_level, latest.level)
                    latest_term, latest, difference = term, satisfier, None
                else:
                    previous_level = max(previous_level, satisfier.level)
                if latest_term is term:
                    # The satisfier may satisfy the term only together with earlier
                    # assignments; those earlier ones bound how far we may jump back.
                    difference = latest.term.difference(term)
                    if difference is not None:
                        previous_level = max(
                            previous_level, solution.satisfier(difference.negate()).level
                        )
            assert latest is not None and latest_term is not None
            if previous_level < latest.level or latest.cause is None:
                undone = solution.backtrack(previous_level)
                pending = self._pending
                # A replay still waiting stays valid while we stay above its level.
                if pending is None or previous_level < pending.level:
                    saved = SavedTrail(undone, previous_level, solution.size, self._mark)
                    self._pending = saved if saved.steps else None
                if new:
                    self._add(incompatibility)
                return incompatibility
            # Resolve: combine with the incompatibility that caused the satisfier.
            terms = [t for t in incompatibility.terms if t is not latest_term]
            terms.extend(t for t in latest.cause.terms if t.package != latest.term.package)
            if difference is not None:
                terms.append(difference.negate())
            incompatibility = Incompatibility.derived(terms, incompatibility, latest.cause)
            new = True
        raise explain(incompatibility)

    # -- decision making ---------------------------------------------------------------------

    def _candidates(self, known: Term) -> int:
        key = (known.package, known.versions)
        count = self._counts.get(key)
        if count is None:
            count = self._source.count(known.package, known.versions)
            self._counts[key] = count
        return count

    def _next_package(self) -> tuple[str, VersionSet] | None:
        solution = self._solution
        heap = self._heap
        for package in sorted(solution.changed):
            known = solution.undecided_positive(package)
            if known is not None:
                allowed = known.versions
                self._pushes += 1
                first = 0 if package in self._conflicted else 1
                count = self._candidates(known)
                entry = (first, count, package, self._pushes, allowed)
                heapq.heappush(heap, entry)
        solution.changed.clear()
        while heap:
            _, _, package, _, allowed = heap[0]
            known = solution.undecided_positive(package)
            # The top stays until it is decided (a version whose dependencies conflict is not
            # decided, and after conflict resolution the package may still need a decision).
            if known is not None and known.versions == allowed:
                return package, allowed
            # Stale: later derivations, decisions or backtracking changed what we know.
            heapq.heappop(heap)
        return None

    def _decide(self) -> list[str] | None:
        solution = self._solution
        self._mark = (solution.size, len(self._log))
        picked = self._next_package()
        if picked is None:
            self._pending = None
            return None
        package, allowed = picked
        pending = self._pending
        if pending is not None and package not in self._conflicted:
            # Packages from conflicts are decided again first; then the rest is replayed.
            self._pending = None
            late = self._log[pending.log_mark :]
            return replay(pending, solution, self._relation, late)
        source = self._source
        versions = source.versions(package)
        if not versions:
            self._add(Incompatibility((Term(package, VersionSet.full()),), Cause.UNKNOWN))
            return [package]
        chosen = None
        preferred = self._preferred.get(package)
        if preferred is not None and allowed.contains(preferred) and preferred in versions:
            chosen = preferred
        else:
            for v in reversed(versions):
                if allowed.contains(v):
                    chosen = v
                    break
        if chosen is None:
            self._add(Incompatibility((Term(package, allowed),), Cause.NO_VERSIONS))
            return [package]
        conflict = False
        for incompatibility in source.incompatibilities_for(package, chosen):
            self._add(incompatibility)
            # If the other terms already hold, choosing this version is a conflict; unit
            # propagation on the new incompatibility will steer us to another version.
            conflict = conflict or all(
                t.package == package or solution.relation(t) == SATISFIED
                for t in incompatibility.terms
            )
        if not conflict:
            solution.decide(package, chosen)
        return [package]

    # -- result ------------------------------------------------------------------------------

    def _result(self) -> Resolution:
        decisions = self._solution.decisions
        versions = {name: decisions[name] for name in sorted(decisions) if name != ROOT}
        dependencies = {
            name: {dep: versions[dep] for dep in sorted(self._source.dependencies(name, version))}
            for name, version in versions.items()
        }
        cycle = find_cycle(versions, dependencies)
        if cycle is not None:
            path = " → ".join(f"{name} {versions[name]}" for name in cycle)
            raise ResolutionFailure(
                f"dependency cycle: {path}",
                (f"dependency cycle: {path}",),
                code="dependency_cycle",
                hint="skills must not depend on each other in a cycle; "
                "remove one of these dependencies",
            )
        return Resolution(versions, dependencies)
