"""cpqa: the record, timescales, trackers and annual report of a child protection conference service."""

__version__ = "0.1.0"
