"""Tank scanner (see STYLE.md for what lives here)."""
