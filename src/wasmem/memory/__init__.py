"""Linear memory: the only code that touches bytes (pages, bounds, typed views, inspection)."""
