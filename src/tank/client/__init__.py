"""Tank client (see STYLE.md for what lives here)."""
