from collections import defaultdict

TITLES = {
    "feat": "Added", "fix": "Fixed", "perf": "Performance", "refactor": "Changed",
    "docs": "Documentation", "chore": "Maintenance", "other": "Other",
}


def render_section(version, date, commits, group_by="type"):
    groups = defaultdict(list)
    for c in commits:
        key = c["type"] if group_by == "type" else (c["scope"] or "general")
        groups[key].append(c)
    lines = [f"## [{version}] - {date}", ""]
    breaking = [c for c in commits if c["breaking"]]
    if breaking:
        lines += ["### ⚠ Breaking changes", ""]
        lines += [f"- {c['subject']} ({c['sha']})" for c in breaking] + [""]
    for key in sorted(groups, key=lambda k: list(TITLES).index(k) if k in TITLES else 99):
        lines += [f"### {TITLES.get(key, key.title())}", ""]
        for c in groups[key]:
            scope = f"**{c['scope']}:** " if c["scope"] and group_by == "type" else ""
            lines.append(f"- {scope}{c['subject']} ({c['sha']}, @{c['author_display']})")
        lines.append("")
    return "\n".join(lines)
