"""Tank sandbox (see STYLE.md for what lives here)."""
