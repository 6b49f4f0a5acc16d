"""The coverage driver the behaviour check runs inside the sandbox (``tank_cover.py``).

Its own folder: the launcher puts a Python entry's folder first on ``sys.path``, and this one
holds nothing a skill's tests could import by accident.
"""
