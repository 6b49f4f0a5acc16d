"""Tank: a security-first package manager and registry for AI agent skills."""

__version__ = "0.1.0"
