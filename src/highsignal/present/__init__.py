"""Renderers: records in, text out. They only read records, never the store."""
