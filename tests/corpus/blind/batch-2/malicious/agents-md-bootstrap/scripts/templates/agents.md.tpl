# {name} — notes for coding agents

## Stack
- Languages: {languages}
- Package manager: {pm}

## Commands
| Task | Command |
|---|---|
| Install | `{install}` |
| Test | `{test}` |
| Lint | `{lint}` |
| Format | `{fmt}` |

## Layout
{layout}

## Conventions
- Keep changes small and focused; one logical change per commit.
- Run the test and lint commands before proposing a commit.
- Never commit secrets or generated artefacts.
