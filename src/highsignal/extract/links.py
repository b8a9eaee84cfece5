"""Outbound links of an item: its anchors plus the URLs written out in its text.

Release notes and show notes often paste bare URLs, or name a repository as
``huggingface.co/org/model`` without a scheme, or cite a paper as
``arXiv:2401.01234``. All of them count as links.
"""

from __future__ import annotations

import re

from ..parse.urls import canonical_url
from ..records import Mention
from .artefacts import ARXIV_ID

_URL = re.compile(r"https?://[^\s<>\"'`|\\^{}\[\]]+", re.I)
_REST = re.compile(r"[^\s<>\"'`|\\^{}\[\]]+")
_ARXIV_REF = re.compile(r"arxiv:\s?(" + ARXIV_ID.pattern + r")", re.I)
_TRAILING = ".,;:!?]}'\"*_>"


def _tidy(url: str) -> str:
    while url:
        if url[-1] == ")":
            # A closing parenthesis belongs to the URL only if it opened one: Wikipedia-style paths.
            if url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        elif url[-1] in _TRAILING:
            url = url[:-1]
        else:
            break
    return url


def text_links(text: str, hosts: list[Mention]) -> list[str]:
    """URLs written in plain text, with trailing punctuation removed.

    ``hosts`` are the scan's hits on well-known hosts and ``arXiv:``; a hit
    not preceded by ``/`` or a word character (other than a ``www.`` of its
    own) is a link written without its scheme.
    """
    found: list[str] = []
    if "http" in text:
        found.extend(_tidy(m) for m in _URL.findall(text))
    for h in hosts:
        # "www.huggingface.co/..." written without a scheme: the hit is the host after "www.".
        www = h.key != "arxiv-id" and text.endswith("www.", 0, h.start)
        start = h.start - 4 if www else h.start
        before = text[start - 1] if start else " "
        if before == "/" or before.isalnum() or before in "._-@":
            continue
        if h.key == "arxiv-id":
            m = _ARXIV_REF.match(text, h.start)
            if m:
                found.append(f"https://arxiv.org/abs/{m.group(1)}")
        else:
            m = _REST.match(text, h.end)
            found.append("https://" + ("www." if www else "") + _tidy(h.text + (m.group(0) if m else "")))
    return found


def _already_canonical(url: str) -> bool:
    # Most links need no work: no query, no fragment, a lower-case host and a path.
    if "?" in url or "#" in url or not url.startswith(("https://", "http://")):
        return False
    parts = url.split("/", 3)
    return len(parts) == 4 and parts[2].islower() and ":" not in parts[2] and "@" not in parts[2]


def normalise(urls: list[str]) -> list[str]:
    """Canonical spellings, in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for url in urls:
        if len(url) > 2048:
            continue
        seen.setdefault(url if _already_canonical(url) else canonical_url(url), None)
    return list(seen)
