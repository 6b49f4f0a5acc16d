def main() -> None:
    """Placeholder entry point, replaced by the CLI."""
