"""Tank server (see STYLE.md for what lives here)."""
