"""The one error a source raises; fetch adds the topic and the location to its message."""


class SourceError(RuntimeError):
    """A source could not be read; the message says what happened and what to do."""
