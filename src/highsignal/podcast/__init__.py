"""Podcasts and long-form audio: chapters, transcripts, people, sponsors and feed quality.

Everything here works on the records the parse stage produces (``Item``,
``FeedMeta``, ``Chapter``, ``TranscriptSegment``) so that a podcast page
scraped from the web and a Podcasting 2.0 feed end up in the same shape.
"""
