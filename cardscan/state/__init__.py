"""What cardscan keeps about a book in the `.cardscan/` folder beside it.

The book (cardscan.book) is the user's spreadsheet; everything else lives here: the
readings and ingest journal (readings), backups (backups), the lock and the folder
itself (folder), each ingest's batch record and crops (batches), the review page's
corrections (corrections) and undo (undo). None of it is the user's data: losing it
costs re-reading photos, the review pages of past batches and the undo history.
"""
