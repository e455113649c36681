"""JournalError: the journal cannot be used; the message names the file and the cause."""


class JournalError(Exception):
    """The journal cannot be used; the message names the file and the cause."""
