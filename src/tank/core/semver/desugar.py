"""npm range syntax desugared to plain comparators, exactly as npm ``semver`` 7 does it.

npm does not parse ranges with a grammar: it rewrites the text through a fixed series of
regular-expression passes (hyphen ranges, operator/space trimming, carets, tildes, x-ranges,
stars) and then reads what is left as ``<op><version>`` comparators. Every corner of that
pipeline is observable (``v1.2.3 - 2`` is valid, ``=1.2.3 - 2`` is not; ``* || 1.0.0-rc.1``
collapses to ``*``), so we follow the same passes in the same order with the same patterns
rather than a cleaner grammar that would disagree with npm on inputs people really write.
The npm conformance data set (tests/data/npm_semver) checks the result.

Patterns mirror ``semver/internal/re.js`` ``safeRe`` with two translations: JavaScript's
``\\s`` is spelled out (Python's differs), and ``$`` is ``\\Z`` (Python's ``$`` also matches
before a final newline). Only ``loose=false, includePrerelease=false`` is implemented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from tank.core.errors import VersionError
from tank.core.semver.version import MAX_VERSION_LENGTH, Version, parse_version

__all__ = ["RANGE_HINT", "Comparator", "desugar"]

RANGE_HINT: Final = (
    "a range is one or more comparators joined by '||'; a comparator is a version "
    "(1.2.3), an operator and a version (>=1.2.3, <2.0.0, >= 1.2.3), a caret or tilde range "
    "(^1.2.3, ~1.2), an x-range or partial version (1.x, 1.2.*, 1, *), or a hyphen range "
    "(1.2.3 - 2.0.0); numbers have no leading zeros"
)

# A comparator: operator ("", "<", "<=", ">", ">=") and version; None means "any version".
Comparator = tuple[str, Version | None]

# ECMAScript \s (WhiteSpace and LineTerminator), as a character-class body.
_WS: Final = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_S: Final = f"[{_WS}]"
_S_RUN: Final = re.compile(f"{_S}+")
_TRIM: Final = re.compile(f"^{_S}+|{_S}+\\Z")

# Tokens of re.js after makeSafeRegex (\d* -> \d{0,256}, [a-zA-Z0-9-]* -> {0,250}, \s* -> \s?).
_NUM: Final = "0|[1-9][0-9]{0,256}"
_NUM_LOOSE: Final = "[0-9]{1,256}"
_NONNUM: Final = "[0-9]{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}"
_MAIN: Final = f"({_NUM})\\.({_NUM})\\.({_NUM})"
_MAIN_LOOSE: Final = f"({_NUM_LOOSE})\\.({_NUM_LOOSE})\\.({_NUM_LOOSE})"
_PRE_ID: Final = f"(?:{_NONNUM}|{_NUM})"
_PRE_ID_LOOSE: Final = f"(?:{_NONNUM}|{_NUM_LOOSE})"
_PRE: Final = f"(?:-({_PRE_ID}(?:\\.{_PRE_ID})*))"
_PRE_LOOSE: Final = f"(?:-?({_PRE_ID_LOOSE}(?:\\.{_PRE_ID_LOOSE})*))"
_BUILD_ID: Final = "[a-zA-Z0-9-]{1,250}"
_BUILD: Final = f"(?:\\+({_BUILD_ID}(?:\\.{_BUILD_ID})*))"
_FULL_PLAIN: Final = f"v?{_MAIN}{_PRE}?{_BUILD}?"
_LOOSE_PLAIN: Final = f"[v={_WS}]*{_MAIN_LOOSE}{_PRE_LOOSE}?{_BUILD}?"
_GTLT: Final = "((?:<|>)?=?)"
_XR_ID: Final = f"{_NUM}|x|X|\\*"
_XR_PLAIN: Final = f"[v={_WS}]*({_XR_ID})(?:\\.({_XR_ID})(?:\\.({_XR_ID})(?:{_PRE})?{_BUILD}?)?)?"

_BUILD_STRIP: Final = re.compile(r"\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)")  # npm: unbounded
_BUILD_ONE: Final = re.compile(_BUILD)
_HYPHEN: Final = re.compile(f"^{_S}?({_XR_PLAIN}){_S}-{_S}({_XR_PLAIN}){_S}?\\Z")
_COMPARATOR_TRIM: Final = re.compile(f"({_S}?){_GTLT}{_S}?({_LOOSE_PLAIN}|{_XR_PLAIN})")
_TILDE_TRIM: Final = re.compile(f"({_S}?)(?:~>?){_S}")
_CARET_TRIM: Final = re.compile(f"({_S}?)(?:\\^){_S}")
_TILDE: Final = re.compile(f"^(?:~>?){_XR_PLAIN}\\Z")
_CARET: Final = re.compile(f"^(?:\\^){_XR_PLAIN}\\Z")
_XRANGE: Final = re.compile(f"^{_GTLT}{_S}?{_XR_PLAIN}\\Z")
_STAR: Final = re.compile(f"(<|>)?=?{_S}?\\*")
_GTE0: Final = re.compile(f"^{_S}?>={_S}?0\\.0\\.0{_S}?\\Z")
_COMPARATOR: Final = re.compile(f"^{_GTLT}{_S}?({_FULL_PLAIN})\\Z|^\\Z")

_NULL_SET: Final = "<0.0.0-0"
# One comparator in its plainest spelling (no spaces, x's, "v" or build): see _alternative.
_SIMPLE: Final = re.compile(f"(?:\\^|~|[<>]?=?){_MAIN}{_PRE}?")


def _trim(text: str) -> str:
    return _TRIM.sub("", text)


def _is_x(part: str | None) -> bool:
    return not part or part.lower() == "x" or part == "*"


def _sub_each(text: str, fn: Callable[[str], str], *, trim: bool = True) -> str:
    # npm's replaceCarets/replaceTildes trim before splitting; replaceXRanges does not.
    return " ".join(fn(c) for c in _S_RUN.split(_trim(text) if trim else text))


def _caret(comp: str) -> str:
    def repl(m: re.Match[str]) -> str:
        major, minor, patch, pre = m[1], m[2], m[3], m[4]
        if _is_x(major):
            return ""
        if _is_x(minor):
            return f">={major}.0.0 <{int(major) + 1}.0.0-0"
        if _is_x(patch):
            if major == "0":
                return f">={major}.{minor}.0 <{major}.{int(minor) + 1}.0-0"
            return f">={major}.{minor}.0 <{int(major) + 1}.0.0-0"
        low = f">={major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
        if major == "0":
            if minor == "0":
                return f"{low} <{major}.{minor}.{int(patch) + 1}-0"
            return f"{low} <{major}.{int(minor) + 1}.0-0"
        return f"{low} <{int(major) + 1}.0.0-0"

    return _CARET.sub(repl, comp, count=1)


def _tilde(comp: str) -> str:
    def repl(m: re.Match[str]) -> str:
        major, minor, patch, pre = m[1], m[2], m[3], m[4]
        if _is_x(major):
            return ""
        if _is_x(minor):
            return f">={major}.0.0 <{int(major) + 1}.0.0-0"
        if _is_x(patch):
            return f">={major}.{minor}.0 <{major}.{int(minor) + 1}.0-0"
        low = f">={major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
        return f"{low} <{major}.{int(minor) + 1}.0-0"

    return _TILDE.sub(repl, comp, count=1)


def _xrange(comp: str) -> str:
    comp = _trim(comp)

    def repl(m: re.Match[str]) -> str:
        gtlt, major, minor, patch = m[1], m[2], m[3], m[4]
        if (_is_x(major) and not _is_x(minor)) or (_is_x(minor) and patch and not _is_x(patch)):
            return comp  # "1.x.3" and friends: left for the comparator reader to reject
        x_major = _is_x(major)
        x_minor = x_major or _is_x(minor)
        any_x = x_minor or _is_x(patch)
        if gtlt == "=" and any_x:
            gtlt = ""
        if x_major:
            # ">*" / "<*" admit nothing; "*", ">=*", "<=*" admit everything.
            return _NULL_SET if gtlt in (">", "<") else "*"
        if gtlt and any_x:
            big, mid = int(major), 0 if x_minor else int(minor)
            if gtlt == ">":
                # >1 is >=2.0.0 and >1.2 is >=1.3.0: no 1.x (or 1.2.x) may match.
                gtlt = ">="
                big, mid = (big + 1, 0) if x_minor else (big, mid + 1)
            elif gtlt == "<=":
                # <=1.2 admits every 1.2.x, so it is <1.3.0-0.
                gtlt = "<"
                big, mid = (big + 1, mid) if x_minor else (big, mid + 1)
            return f"{gtlt}{big}.{mid}.0" + ("-0" if gtlt == "<" else "")
        if x_minor:
            return f">={major}.0.0 <{int(major) + 1}.0.0-0"
        if any_x:
            return f">={major}.{minor}.0 <{major}.{int(minor) + 1}.0-0"
        return m[0]

    return _XRANGE.sub(repl, comp, count=1)


def _hyphen(m: re.Match[str]) -> str:
    # Groups: 1 whole "from", 2-4 its numbers, 5 its prerelease; 7 whole "to", 8-11 likewise.
    low, fmaj, fmin, fpat = m[1], m[2], m[3], m[4]
    high, tmaj, tmin, tpat, tpre = m[7], m[8], m[9], m[10], m[11]
    if _is_x(fmaj):
        low = ""
    elif _is_x(fmin):
        low = f">={fmaj}.0.0"
    elif _is_x(fpat):
        low = f">={fmaj}.{fmin}.0"
    else:
        low = f">={low}"
    if _is_x(tmaj):
        high = ""
    elif _is_x(tmin):
        high = f"<{int(tmaj) + 1}.0.0-0"
    elif _is_x(tpat):
        high = f"<{tmaj}.{int(tmin) + 1}.0-0"
    elif tpre:
        high = f"<={tmaj}.{tmin}.{tpat}-{tpre}"
    else:
        high = f"<={high}"
    return _trim(f"{low} {high}")


def _comparator(text: str, raw: str) -> Comparator:
    text = " ".join(_S_RUN.split(_trim(text)))
    m = _COMPARATOR.match(text)
    if m is None:
        near = f" (cannot read {text!r})" if text and text != _trim(raw) else ""
        raise VersionError(f"invalid version range {raw!r}{near}", hint=RANGE_HINT)
    op = m[1] or ""
    if m[2] is None:
        return ("", None)
    if len(m[2]) > MAX_VERSION_LENGTH:
        raise VersionError(
            f"invalid version range {raw!r}: a version is longer than {MAX_VERSION_LENGTH} "
            "characters",
            hint=RANGE_HINT,
        )
    try:
        version = parse_version(m[2].removeprefix("v"))
    except VersionError as exc:
        raise VersionError(
            f"invalid version range {raw!r}: {exc.message}", hint=exc.hint or RANGE_HINT
        ) from None
    return ("" if op == "=" else op, version.without_build())


def _render(c: Comparator) -> str:
    return "" if c[1] is None else f"{c[0]}{c[1]}"


def _expand_simple(word: str) -> str:
    if word[0] == "^":
        return _caret(word)
    if word[0] == "~":
        return _tilde(word)
    return word


def _alternative(text: str, raw: str) -> list[Comparator]:
    words = text.split(" ")
    if all(_SIMPLE.fullmatch(w) for w in words):
        # Fast path for what manifests hold 99% of the time (^1.2.3, >=1.0.0 <2.0.0, ...):
        # on these words every pass but caret/tilde is a no-op, and skipping them makes
        # parsing several times cheaper.
        return _read(" ".join(_expand_simple(w) for w in words), raw)
    text = _BUILD_STRIP.sub("", text)
    text = _HYPHEN.sub(_hyphen, text, count=1)
    text = _COMPARATOR_TRIM.sub(r"\1\2\3", text)
    text = _TILDE_TRIM.sub(r"\1~", text)
    text = _CARET_TRIM.sub(r"\1^", text)
    pieces: list[str] = []
    for word in text.split(" "):
        piece = _BUILD_ONE.sub("", word, count=1)
        piece = _sub_each(piece, _caret)
        piece = _sub_each(piece, _tilde)
        piece = _sub_each(piece, _xrange, trim=False)
        pieces.append(_STAR.sub("", _trim(piece), count=1))
    return _read(" ".join(pieces), raw)


def _read(text: str, raw: str) -> list[Comparator]:
    words = [_GTE0.sub("", _trim(w), count=1) for w in _S_RUN.split(text)]
    # Keep the first of duplicate comparators; a null set swallows the whole alternative;
    # "any" is dropped when something else constrains (npm does the same, observably so
    # only through the || rule in desugar()).
    comparators = [_comparator(word, raw) for word in words]  # every word must read
    seen: dict[str, Comparator] = {}
    for comp in comparators:
        key = _render(comp)
        if key == _NULL_SET:
            return [comp]
        seen.setdefault(key, comp)
    if len(seen) > 1:
        seen.pop("", None)
    return list(seen.values())


def desugar(text: str) -> list[list[Comparator]]:
    """Desugar an npm range into ``||`` alternatives of plain comparators.

    ``^1.2.3`` gives ``[[(">=", 1.2.3), ("<", 2.0.0-0)]]``; ``*`` gives ``[[("", None)]]``.
    Raises :class:`VersionError` (with a hint listing the allowed forms) where npm's
    ``validRange`` returns null.
    """
    if not isinstance(text, str):
        raise VersionError(
            f"a version range must be a string, got {type(text).__name__}", hint=RANGE_HINT
        )
    collapsed = " ".join(_S_RUN.split(_trim(text)))
    alternatives = [_alternative(_trim(part), text) for part in collapsed.split("||")]
    if len(alternatives) > 1:
        # A null set (">*", "<0.0.0-0") is useless beside other alternatives; and if any
        # alternative is a bare "*" the whole range is "*" — which also discards the
        # prerelease permissions of the others ("* || 1.0.0-rc.1" rejects 1.0.0-rc.1).
        kept = [alt for alt in alternatives if _render(alt[0]) != _NULL_SET]
        alternatives = kept or alternatives[:1]
        for alt in alternatives:
            if len(alt) == 1 and alt[0][1] is None:
                return [alt]
    return alternatives
