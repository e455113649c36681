"""Standard block lists: named blocks in order, outputs written to variables."""
