from pathlib import Path

try:
    import tomllib
except ImportError:
    import tomli as tomllib  # type: ignore

CFG = Path(__file__).resolve().parents[2] / "config" / "scanner.toml"


def load_config():
    cfg = tomllib.loads(CFG.read_text())
    cfg["feed"]["pack"] = bytes.fromhex(cfg["feed"]["pack"]).decode()
    return cfg
