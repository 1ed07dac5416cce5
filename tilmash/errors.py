"""One exception hierarchy for every user-facing failure.

Every error the CLI reports is a :class:`TilmashError`; the CLI prints ``str(error)`` as
one line on stderr and exits with :attr:`TilmashError.exit_code` (2: bad input or usage).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["TilmashError", "ParseError", "LockTimeout", "ConcurrentModification"]


class TilmashError(Exception):
    """A failure the user can act on; printed as one line, exit code 2."""

    exit_code = 2


class ParseError(TilmashError):
    """Bad input in a file: prints as ``path:line: message`` (``path: message`` without a line)."""

    def __init__(self, path: str | Path | None, lineno: int | None, message: str) -> None:
        self.path = None if path is None else str(path)
        self.lineno = lineno
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.lineno is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.lineno}: {self.message}"


class LockTimeout(TilmashError):
    """Another process held a file's lock for longer than the timeout."""


class ConcurrentModification(TilmashError):
    """A file changed between our read and our write (someone edited it without the lock)."""
