"""Registry services: the use cases, written against a SQLAlchemy Session and a BlobStore."""
