"""The review page: every card of a batch beside what was read from it, fixable in place.

- crop: the straightened card as a small JPEG and the evidence boxes in its pixels
  (made in the worker, so it works the same on a Dask cluster).
- page: the self-contained HTML page (`cardscan review`, and after every ingest). It
  reads what each ingest did per photo from cardscan.state.batches (kept in .cardscan/
  beside the book) and writes no state: the ingest records, the page shows.

Corrections saved from the page go into the book through `cardscan apply`
(cardscan.state.corrections).
"""
