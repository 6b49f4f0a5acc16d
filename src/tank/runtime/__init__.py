"""The runtime: find installed skills and run them through the sandbox (see STYLE.md)."""
