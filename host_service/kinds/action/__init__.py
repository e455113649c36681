"""Action batches: main actions, retry actions if main failed, failure actions as cleanup."""
