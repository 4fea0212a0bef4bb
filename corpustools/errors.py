"""One root exception and specific subclasses, each carrying a message a user can act on.

The CLI turns any CorpusToolsError into a one-line error naming the file; anything else is a
bug and is allowed to show its traceback.
"""

from __future__ import annotations


class CorpusToolsError(Exception):
    """Root of every error corpustools raises on purpose."""

    def __init__(self, message: str, path: str = "", line: int = 0) -> None:
        self.message = message
        self.path = path
        self.line = line  # the line of the file the problem is on (0: the whole file)
        super().__init__(f"{self.where(path)}: {message}" if path else message)

    def where(self, name: str) -> str:
        """`name`, or `name:line` when the problem is on one line: the place a report names."""
        return f"{name}:{self.line}" if self.line else name


class InputError(CorpusToolsError):
    """An input file cannot be read as an article (binary, empty, too large...)."""


class NoArticlesError(InputError):
    """The folder given holds nothing to work on: most likely the wrong folder was given."""


class DecodeError(InputError):
    """The bytes of a file are not text in any encoding we can recognise."""


class CatalogueError(CorpusToolsError):
    """The user's catalogue file is malformed."""


class ConfigError(CorpusToolsError):
    """The user's rule or project configuration is malformed."""


class CleanedFileError(CorpusToolsError):
    """A cleaned file (possibly hand-edited) cannot be parsed back."""


class NotCleanedError(CleanedFileError):
    """A file is not a cleaned file at all (no '+++' header): a raw article, say."""


class HandEditError(CorpusToolsError):
    """Writing would overwrite a file a person has edited by hand."""


class OutputError(CorpusToolsError):
    """An output cannot be written (read-only folder, full disk, clash of names)."""


class OutputFolderError(OutputError):
    """The output folder was given wrong (inside the input, cannot be made, not writable): a usage error."""


class FolderLockedError(CorpusToolsError):
    """Another live corpustools run is writing into the same output folder."""


class ValidationError(CorpusToolsError):
    """A TEI file is not valid; raised only where a caller asked for strictness."""


class CitationError(CorpusToolsError):
    """A citation ("d2.p3") that names no part of an article, or more than one."""


class Terminated(BaseException):
    """The run was stopped from outside (SIGTERM). Not a CorpusToolsError: it is no article's
    failure, and nothing may catch it as one; it unwinds the run (locks released, temporary
    files removed) up to the CLI."""
