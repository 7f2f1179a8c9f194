"""The one exception hierarchy of veille.

    VeilleError                 anything veille expects and can explain in one line
     ├── ConfigError            a config file or variable is missing or wrong
     ├── FetchError             an HTTP fetch failed (carries .kind, .url, .retry_after)
     ├── ExtractError           a page could not be turned into article text
     ├── StorageError           the database refused or is from an unknown version
     └── NotifyError            a channel refused or did not answer

Library code raises these and never prints; only the command line catches VeilleError and
turns it into a single ``Error: <what>: <why>`` line. Unexpected exceptions keep their traceback.
"""

from __future__ import annotations


class VeilleError(Exception):
    """An expected failure, explained in one line."""


class ConfigError(VeilleError):
    """A configuration file, key or environment variable is missing or invalid."""


class FetchError(VeilleError):
    """A fetch failed; ``kind`` is a short stable label used in summaries (timeout, http_404…)."""

    def __init__(
        self,
        kind: str,
        url: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{url}: {message}")
        self.kind = kind
        self.url = url
        self.message = message
        self.status = status
        self.retry_after = retry_after


class ExtractError(VeilleError):
    """A page could not be extracted into article text."""


class StorageError(VeilleError):
    """The database could not be opened, migrated or written."""


class NotifyError(VeilleError):
    """A notification channel refused the message or did not answer."""
