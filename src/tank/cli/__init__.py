"""The tank command line: one thin module per command."""
