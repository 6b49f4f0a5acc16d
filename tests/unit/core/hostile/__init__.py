"""A corpus of hostile archives, built at test time; see :mod:`.corpus`."""
