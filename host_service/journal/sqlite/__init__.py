"""The SQLite journal: the embedded default, one file per host (WAL)."""
