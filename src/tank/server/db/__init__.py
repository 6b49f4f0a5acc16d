"""The registry database: models, engines, migrations."""
