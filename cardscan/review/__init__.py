"""The review page: every card of a batch beside what was read from it, fixable in place.

- crop: the straightened card as a small JPEG and the evidence boxes in its pixels
  (made in the worker, so it works the same on a Dask cluster).
- batch: what each ingest did per photo, kept in .cardscan/ beside the book.
- page: the self-contained HTML page (`cardscan review`, and after every ingest).

Corrections saved from the page go into the book through `cardscan apply`
(cardscan.state.corrections).
"""
