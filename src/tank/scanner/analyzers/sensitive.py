"""What counts as sensitive: credential stores, persistence points and secret-looking names.

Shared by the Python analyzer and capability inference. These are facts about operating
systems and browsers, not tuned to any sample; extend them with the malware you see.
"""

from __future__ import annotations

import re

__all__ = ["NETWORK_MODULES", "PERSISTENCE_PATH", "SECRET_NAME", "SENSITIVE_PATH", "URL"]

#: SSH keys, cloud and registry credentials, browser login/cookie stores, wallets, keychains.
SENSITIVE_PATH = re.compile(
    r"\.ssh(?:/|\b)|\.aws/(?:credentials|config)|\.azure/|\.config/gcloud|\.kube/config"
    r"|\.docker/config\.json|\.gnupg|\.netrc|\.git-credentials|\.pypirc|\.npmrc"
    r"|Login Data|Cookies|Web Data|Local State|key4\.db|logins\.json|cookies\.sqlite"
    r"|wallet\.dat|\.bitcoin|\.ethereum|Exodus|Electrum|MetaMask|atomic/Local Storage"
    r"|Keychains?/|login\.keychain|\.password-store|/etc/shadow|id_rsa|id_ed25519",
    re.IGNORECASE,
)

#: Files and folders whose change makes code run again later (at login, on a timer, on ssh).
PERSISTENCE_PATH = re.compile(
    r"crontab|/etc/cron|\.bashrc|\.bash_profile|\.zshrc|\.zprofile|\.profile\b|authorized_keys"
    r"|LaunchAgents|LaunchDaemons|\.config/systemd/user|/etc/systemd/system|\.config/autostart"
    r"|CurrentVersion\\\\Run",
    re.IGNORECASE,
)

#: Environment variable names that hold secrets.
SECRET_NAME = re.compile(
    r"(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH|PAT|COOKIE|SESSION)(?:_|$)"
    r"|^(?:AWS|GH|GITHUB|OPENAI|ANTHROPIC|SLACK|STRIPE)_",
)

NETWORK_MODULES = frozenset(
    {
        "requests",
        "httpx",
        "urllib",
        "urllib3",
        "aiohttp",
        "http",
        "socket",
        "smtplib",
        "ftplib",
        "websocket",
        "websockets",
        "paramiko",
        "pycurl",
        "dns",
    }
)

URL = re.compile(r"\b(?:https?|wss?|ftp)://([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::\d+)?", re.I)
