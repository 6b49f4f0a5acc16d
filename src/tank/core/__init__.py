"""The pure domain of Tank: formats, versions, resolution, permissions, packing.

Nothing in this package performs network, database or console I/O or keeps global state.
Functions take values (or, for packing, a path the caller hands them) and return values.
"""
