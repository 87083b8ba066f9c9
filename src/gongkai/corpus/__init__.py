"""Corpus: pure functions over many reports (no SQL, no I/O).

* ``bodies``: who published a report — a body's name resolved to a canonical form, a body
  type and a place (the gazetteer), so one body's reports group across years.
* ``crosscheck``: checks across reports — one body's years against each other (carry-over,
  continuity, duplicate publications) and near-duplicate narratives (MinHash signatures).

``gongkai.store`` calls these over the rows it keeps; a web app or a notebook can call them
over reports in memory just the same.
"""
