"""Explaining a failure the PubGrub way, and the error that carries the explanation.

The writer walks the derivation graph of the final incompatibility as Dart pub's
``SolveFailure`` does: external facts are stated, derived ones are concluded from their two
causes, chains of single-cause derivations are collapsed into one sentence, and a derived fact
used more than once gets a line number so later lines can refer back to it instead of
repeating it. Explanations longer than :data:`MAX_LINES` keep their first and last lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from tank.core.errors import ResolutionError
from tank.core.resolver.describe import and_to_string, describe
from tank.core.resolver.incompatibility import Cause, Incompatibility

__all__ = ["MAX_LINES", "ResolutionFailure", "explain", "explain_lines", "unknown_root_error"]

MAX_LINES: Final = 24
"""Longest explanation shown in full; longer ones keep the head and tail."""

_HINT: Final = (
    "loosen the version ranges in skills.json, or update the skills whose dependencies conflict"
)


class ResolutionFailure(ResolutionError):
    """A :class:`ResolutionError` that also carries its explanation line by line.

    ``lines`` is the complete explanation; ``message`` is the same text, shortened when it
    is longer than :data:`MAX_LINES` lines (``detail`` then holds the full text).
    """

    def __init__(
        self,
        message: str,
        lines: Sequence[str],
        *,
        code: str | None = None,
        hint: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, code=code, hint=hint, detail=detail)
        self.lines: tuple[str, ...] = tuple(lines)


def unknown_root_error(name: str) -> ResolutionFailure:
    """The error for a project requirement naming a skill the registry does not have."""
    line = f"no skill named {name} in the registry"
    return ResolutionFailure(
        line,
        (line,),
        code="unknown_skill",
        hint=f"check the spelling of {name!r} in skills.json (names look like @scope/name)",
    )


def explain(failure: Incompatibility) -> ResolutionFailure:
    """The error to raise for the failure incompatibility ``failure``."""
    lines = explain_lines(failure)
    shown = truncate(lines)
    full = "\n".join(lines)
    return ResolutionFailure(
        "\n".join(shown),
        lines,
        hint=_HINT,
        detail=full if len(shown) != len(lines) else None,
    )


def truncate(lines: Sequence[str], limit: int = MAX_LINES) -> list[str]:
    """``lines``, or its first and last lines with a note of how many were left out."""
    if len(lines) <= limit:
        return list(lines)
    head = (limit - 1) // 2
    tail = limit - 1 - head
    left_out = len(lines) - head - tail
    return [*lines[:head], f"... ({left_out} lines left out) ...", *lines[-tail:]]


def explain_lines(failure: Incompatibility) -> list[str]:
    """The explanation of ``failure`` as lines (numbered where later lines refer back)."""
    writer = _Writer(failure)
    try:
        return writer.write()
    except RecursionError:
        # A derivation thousands of steps deep: state its external facts instead.
        return _flat(failure)


def _is_derived(incompatibility: Incompatibility | None) -> bool:
    return incompatibility is not None and incompatibility.cause is Cause.CONFLICT


def _causes(incompatibility: Incompatibility) -> tuple[Incompatibility, Incompatibility]:
    prior, other = incompatibility.prior, incompatibility.other
    assert prior is not None and other is not None
    return prior, other


class _Writer:
    def __init__(self, root: Incompatibility) -> None:
        self._root = root
        self._derivations: dict[Incompatibility, int] = {}
        self._lines: list[tuple[str, int | None]] = []
        self._numbers: dict[Incompatibility, int] = {}
        stack = [root]
        while stack:
            incompatibility = stack.pop()
            seen = self._derivations.get(incompatibility)
            self._derivations[incompatibility] = (seen or 0) + 1
            if seen is None and _is_derived(incompatibility):
                stack.extend(_causes(incompatibility))

    def write(self) -> list[str]:
        if _is_derived(self._root):
            self._visit(self._root)
        else:
            self._put(self._root, f"Because {describe(self._root)}, version solving failed.")
        width = len(f"({len(self._numbers)}) ") if self._numbers else 0
        out: list[str] = []
        for text, number in self._lines:
            if not text:
                if out and out[-1]:
                    out.append("")
                continue
            prefix = f"({number}) " if number is not None else ""
            out.append(prefix.rjust(width) + text)
        return out

    def _put(self, incompatibility: Incompatibility, text: str, numbered: bool = False) -> None:
        if numbered:
            number = len(self._numbers) + 1
            self._numbers[incompatibility] = number
            self._lines.append((text, number))
        else:
            self._lines.append((text, None))

    def _single_line(self, incompatibility: Incompatibility) -> bool:
        prior, other = _causes(incompatibility)
        return not _is_derived(prior) and not _is_derived(other)

    def _collapsible(self, incompatibility: Incompatibility) -> bool:
        # Fold "A, so B; and because C, D" into "because A and C, D" only when nothing else
        # refers to B and B has exactly one derived cause that is not itself numbered.
        if self._derivations[incompatibility] > 1:
            return False
        prior, other = _causes(incompatibility)
        if _is_derived(prior) == _is_derived(other):
            return False
        complex_cause = prior if _is_derived(prior) else other
        return complex_cause not in self._numbers

    def _visit(self, incompatibility: Incompatibility, conclusion: bool = False) -> None:
        numbered = conclusion or self._derivations[incompatibility] > 1
        conjunction = "So," if conclusion or incompatibility is self._root else "And"
        text = describe(incompatibility)
        prior, other = _causes(incompatibility)
        if _is_derived(prior) and _is_derived(other):
            prior_line, other_line = self._numbers.get(prior), self._numbers.get(other)
            if prior_line is not None and other_line is not None:
                both = and_to_string(prior, other, prior_line, other_line)
                self._put(incompatibility, f"Because {both}, {text}.", numbered)
            elif prior_line is not None or other_line is not None:
                with_line, without = (prior, other) if prior_line is not None else (other, prior)
                self._visit(without)
                line = self._numbers[with_line]
                self._put(
                    incompatibility,
                    f"{conjunction} because {describe(with_line)} ({line}), {text}.",
                    numbered,
                )
            elif self._single_line(prior) or self._single_line(other):
                first, second = (prior, other) if self._single_line(other) else (other, prior)
                self._visit(first)
                self._visit(second)
                self._put(incompatibility, f"Thus, {text}.", numbered)
            else:
                self._visit(prior, conclusion=True)
                self._lines.append(("", None))
                self._visit(other)
                line = self._numbers[prior]
                self._put(
                    incompatibility,
                    f"{conjunction} because {describe(prior)} ({line}), {text}.",
                    numbered,
                )
        elif _is_derived(prior) or _is_derived(other):
            derived, external = (prior, other) if _is_derived(prior) else (other, prior)
            derived_line = self._numbers.get(derived)
            if derived_line is not None:
                both = and_to_string(external, derived, None, derived_line)
                self._put(incompatibility, f"Because {both}, {text}.", numbered)
            elif self._collapsible(derived):
                inner_prior, inner_other = _causes(derived)
                if _is_derived(inner_prior):
                    inner_derived, inner_external = inner_prior, inner_other
                else:
                    inner_derived, inner_external = inner_other, inner_prior
                self._visit(inner_derived)
                both = and_to_string(inner_external, external)
                self._put(incompatibility, f"{conjunction} because {both}, {text}.", numbered)
            else:
                self._visit(derived)
                self._put(
                    incompatibility,
                    f"{conjunction} because {describe(external)}, {text}.",
                    numbered,
                )
        else:
            both = and_to_string(prior, other)
            self._put(incompatibility, f"Because {both}, {text}.", numbered)


def _flat(failure: Incompatibility) -> list[str]:
    # The external facts behind ``failure``, in first-seen order, without the derivations.
    facts: list[str] = []
    seen: set[Incompatibility] = set()
    stack = [failure]
    while stack:
        incompatibility = stack.pop()
        if incompatibility in seen:
            continue
        seen.add(incompatibility)
        if _is_derived(incompatibility):
            prior, other = _causes(incompatibility)
            stack.extend((other, prior))
        else:
            facts.append(describe(incompatibility))
    lines = [f"Because {facts[0]}"] if facts else []
    lines.extend(f"and {fact}" for fact in facts[1:])
    lines.append("version solving failed.")
    return lines
