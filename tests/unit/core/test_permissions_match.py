"""Host and path matching and coverage, including adversarial inputs."""

from __future__ import annotations

import pytest

from tank.core.permissions import (
    InvalidEntry,
    canonical_domain,
    canonical_host,
    canonical_path_glob,
    canonical_secret,
    domain_covered,
    domain_matches,
    path_covered,
    path_matches,
)

# --- domains: syntax ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("api.acme.dev", "api.acme.dev"),
        ("API.Acme.DEV", "api.acme.dev"),
        ("*.acme.dev", "*.acme.dev"),
        ("*", "*"),
        ("localhost", "localhost"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("10.0.0.7", "10.0.0.7"),
        ("::1", "::1"),
        ("[::1]", "::1"),
        ("[2001:DB8:0:0::1]", "2001:db8::1"),
        ("a-b.c0.io", "a-b.c0.io"),
        ("1password.com", "1password.com"),
    ],
)
def test_valid_domains_canonicalise(text: str, canonical: str) -> None:
    assert canonical_domain(text) == canonical


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("https://api.acme.dev", "write the host only"),
        ("api.acme.dev/v1", "write the host only"),
        ("user@api.acme.dev", "write the host only"),
        ("api.acme.dev:443", "write the host only, e.g. api.acme.dev"),
        ("[::1]:443", ""),
        ("api.acme.dev.", "'api.acme.dev'"),
        ("a..b", ""),
        (".acme.dev", ""),
        ("*acme.dev", "*.acme.dev"),
        ("a*.acme.dev", ""),
        ("api.*.dev", ""),
        ("*.*.dev", ""),
        ("**.acme.dev", ""),
        ("-a.dev", ""),
        ("a-.dev", ""),
        ("under_score.dev", "'_'"),
        ("a" * 64 + ".dev", "63"),
        (("a" * 60 + ".") * 5 + "dev", ""),
        ("bücher.example", "xn--bcher-kva.example"),
        ("api .acme.dev", ""),
        ("api.acme.dev\n", ""),
        ("", ""),
        ("0x7f.1", "IP address"),
        ("2130706433", "IP address"),
        ("0x7f000001", "IP address"),
        ("0177.0.0.1", "IP address"),
        ("1.2.3", "IP address"),
        ("*.1.2.3.4", ""),
        ("fe80::1%eth0", ""),
        ("[1.2.3.4]", ""),
        ("[nonsense]", ""),
    ],
)
def test_invalid_domains_are_refused_with_a_hint(text: str, fragment: str) -> None:
    with pytest.raises(InvalidEntry) as caught:
        canonical_domain(text)
    assert fragment in (caught.value.hint or "") + caught.value.message


def test_non_string_domain_is_refused() -> None:
    with pytest.raises(InvalidEntry):
        canonical_domain(42)


# --- domains: matching --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "host", "expected"),
    [
        ("*.acme.dev", "api.acme.dev", True),
        ("*.acme.dev", "a.b.acme.dev", True),
        # A sub-domain whose first labels spell another domain is still a sub-domain.
        ("*.acme.dev", "evil.com.acme.dev", True),
        ("*.acme.dev", "acme.dev", False),
        ("*.acme.dev", "acme.dev.evil.com", False),
        ("*.acme.dev", "xacme.dev", False),
        ("*.acme.dev", "api.xacme.dev", False),
        ("*.acme.dev", "API.ACME.DEV", True),
        ("*.acme.dev", "api.acme.dev.", True),
        ("*.acme.dev", "api.acme.dev..", False),
        ("api.acme.dev", "api.acme.dev", True),
        ("api.acme.dev", "API.acme.dev.", True),
        ("api.acme.dev", "www.api.acme.dev", False),
        ("api.acme.dev", "api.acme.dev.evil.com", False),
        ("api.acme.dev", "api.acme.dev:443", False),
        ("API.ACME.DEV", "api.acme.dev", True),
        ("*", "anything.example", True),
        ("*", "10.0.0.7", True),
        ("*", "not a host", False),
        ("*", "", False),
        ("10.0.0.7", "10.0.0.7", True),
        ("10.0.0.7", "10.0.0.8", False),
        ("10.0.0.7", "0x0a000007", False),
        ("127.0.0.1", "2130706433", False),
        ("::1", "[::1]", True),
        ("::1", "0:0:0:0:0:0:0:1", True),
        ("*.acme.dev", "*.acme.dev", False),
        ("*.acme.dev", "x.*.acme.dev", False),
        ("https://acme.dev", "acme.dev", False),
        ("acme.dev:80", "acme.dev", False),
    ],
)
def test_domain_matches(pattern: str, host: str, expected: bool) -> None:
    assert domain_matches(pattern, host) is expected


def test_canonical_host() -> None:
    assert canonical_host("API.Acme.Dev.") == "api.acme.dev"
    assert canonical_host("*.acme.dev") is None
    assert canonical_host("acme.dev..") is None
    assert canonical_host("[::1]") == "::1"


@pytest.mark.parametrize(
    ("pattern", "budget", "expected"),
    [
        ("api.acme.dev", "*.acme.dev", True),
        ("*.eu.acme.dev", "*.acme.dev", True),
        ("*.acme.dev", "*.acme.dev", True),
        ("acme.dev", "*.acme.dev", False),
        ("*.acme.dev", "api.acme.dev", False),
        ("*.acme.dev", "*.eu.acme.dev", False),
        ("*.xacme.dev", "*.acme.dev", False),
        ("xacme.dev", "*.acme.dev", False),
        ("acme.dev.evil.com", "*.acme.dev", False),
        ("anything.example", "*", True),
        ("*", "*", True),
        ("*", "*.com", False),
        ("10.0.0.7", "*", True),
        ("10.0.0.7", "10.0.0.7", True),
        ("API.acme.dev", "api.ACME.dev", True),
        ("bad host", "*", False),
        ("api.acme.dev", "bad budget", False),
    ],
)
def test_domain_covered(pattern: str, budget: str, expected: bool) -> None:
    assert domain_covered(pattern, budget) is expected


# --- paths: syntax ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["./docs/**", "~/notes/*.md", "./**", "~/**", "./a/?/b", "./.env", "./a b/c", "./**/x"],
)
def test_valid_globs(text: str) -> None:
    assert canonical_path_glob(text) == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("/etc/passwd", "absolute"),
        ("docs/**", 'did you mean "./docs/**"?'),
        ("../x", "./**"),
        (".", "./**"),
        ("./", "./**"),
        ("~", "~/**"),
        ("~/", "~/**"),
        ("~root/x", "own home"),
        ("./docs/../secrets", '"./secrets"'),
        ("./../x", ".."),
        ("./a/./b", '"./a/b"'),
        ("./a/..", ".."),
        ("~/..", ".."),
        ("./a//b", "doubled"),
        ("./output/", '"./output/**"'),
        ("./a\\b", "use /"),
        ("./[ab]", "not supported"),
        ("./{a,b}", "not supported"),
        ("./a**", "whole path segment"),
        ("./**b/c", "whole path segment"),
        ("./***", "whole path segment"),
        ("./a\x00", "control"),
        ("", "empty"),
        ("C:\\x", "backslash"),
    ],
)
def test_invalid_globs(text: str, fragment: str) -> None:
    with pytest.raises(InvalidEntry) as caught:
        canonical_path_glob(text)
    assert fragment in caught.value.message + (caught.value.hint or "")


# --- paths: matching ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("./docs/**", "./docs/a.md", True),
        ("./docs/**", "./docs/a/b/c.md", True),
        ("./docs/**", "./docs", True),
        ("./docs/**", "./docsx/a", False),
        ("./docs/**", "./doc", False),
        ("./docs/**", "~/docs/a", False),
        ("./docs/**", "./docs/../secrets", False),
        ("./docs/**", "./docs/./a", False),
        ("./docs/**", "./docs//a", False),
        ("./docs/**", "./docs/a/", False),
        ("./docs/*", "./docs/a", True),
        ("./docs/*", "./docs/a/b", False),
        ("./docs/*.md", "./docs/a.md", True),
        ("./docs/*.md", "./docs/sub/a.md", False),
        ("./docs/**/*.md", "./docs/a.md", True),
        ("./docs/**/*.md", "./docs/x/y/a.md", True),
        ("./docs/**/*.md", "./docs/x/y/a.txt", False),
        ("./?.txt", "./a.txt", True),
        ("./?.txt", "./ab.txt", False),
        ("./?.txt", "./.txt", False),
        ("./**", "./.env", True),
        ("./**", "./.git/config", True),
        ("./*", "./.env", True),
        ("~/**", "./a", False),
        ("~/.ssh/*", "~/.ssh/id_ed25519", True),
        ("./a.b", "./aXb", False),
        ("./a+", "./a+", True),
        ("./a+", "./aa", False),
        ("./(x)", "./(x)", True),
        ("./**", "/etc/passwd", False),
        ("./**", ".", False),
        ("./**", "./", False),
        ("/etc/**", "/etc/passwd", False),
        ("./docs/../**", "./docs/x", False),
    ],
)
def test_path_matches(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(pattern, path) is expected


@pytest.mark.parametrize(
    ("item", "budget", "expected"),
    [
        ("./docs/a/*.md", "./docs/**", True),
        ("./docs/x", "./docs/**", True),
        ("./docs", "./docs/**", True),
        ("./docs/**", "./docs/**", True),
        ("./docs/**/*.md", "./docs/**", True),
        ("./anything/at/all", "./**", True),
        ("./**", "./**", True),
        ("./**/x", "./**", True),
        ("./a", "~/**", False),
        ("~/a", "./**", False),
        ("./**", "./docs/**", False),
        ("./docs/**", "./docs/*", False),
        ("./docs/*", "./docs/**", True),
        ("./docs/*.md", "./docs/*", True),
        ("./docs/*", "./docs/*.md", False),
        ("./docs/a.md", "./docs/*.md", True),
        ("./docs/a.txt", "./docs/*.md", False),
        ("./docs/?.md", "./docs/*.md", True),
        ("./docs/*.md", "./docs/?.md", False),
        ("./docs/ab*", "./docs/a*", True),
        ("./docs/a*", "./docs/ab*", False),
        ("./docs/*a", "./docs/?*", True),
        ("./docs/*", "./docs/?*", True),  # a path segment is never empty
        ("./**/*", "./*/**", True),
        ("./*/**", "./**/*", True),
        ("./**", "./*/**", False),  # ./** includes the project root itself
        ("./docs/../secrets", "./**", False),
        ("./secrets", "./docs/../**", False),
        ("./docsx/a", "./docs/**", False),
        ("./a/b/c", "./*/*/*", True),
        ("./a/b", "./*/*/*", False),
        ("./x/y/z.md", "./**/*.md", True),
        ("./x/y/z.md", "./**/z.*", True),
    ],
)
def test_path_covered(item: str, budget: str, expected: bool) -> None:
    assert path_covered(item, budget) is expected


# --- secrets ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ACME_API_KEY", "_X", "A1", "X"])
def test_valid_secret_names(name: str) -> None:
    assert canonical_secret(name) == name


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("acme_api_key", '"ACME_API_KEY"'),
        ("acme-api-key", '"ACME_API_KEY"'),
        ("1KEY", "not starting with a digit"),
        ("KEY WITH SPACE", "environment variable"),
        ("", "environment variable"),
        ("K" * 129, "environment variable"),
        ("KEY=1", "environment variable"),
    ],
)
def test_invalid_secret_names(name: str, hint: str) -> None:
    with pytest.raises(InvalidEntry) as caught:
        canonical_secret(name)
    assert hint in (caught.value.hint or "")
