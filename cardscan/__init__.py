"""cardscan: business-card photos in, a running contacts spreadsheet out, offline."""

__version__ = "0.1.0"
