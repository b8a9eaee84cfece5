"""What an item claims to be, so that it is judged as that.

A podcast episode or an essay ships no weights, and that is no fault of
theirs; a model release that ships none is another matter. The kinds:

- ``release``: a model, dataset or tool is being put out (model cards, launch posts);
- ``paper``: a research paper or its abstract;
- ``code``: a repository README;
- ``announcement``: a product or press announcement;
- ``social``: a short post;
- ``commentary``: podcasts, essays, newsletters, analysis: the default.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .context import Context

_AUDIO_TYPES = ("audio/", "video/")


def item_kind(ctx: Context) -> str:
    item = ctx.item
    src = ctx.source
    if src.content_kind == "podcast" or src.declared_kind == "podcast":
        return "commentary"
    if item.enclosure is not None and (item.enclosure.type or "").startswith(_AUDIO_TYPES):
        return "commentary"
    host, path = _host_path(item.url)
    if host in ("arxiv.org", "openreview.net", "aclanthology.org"):
        return "paper"
    if (host in ("github.com", "gitlab.com") and len(path) >= 2) or host == "pypi.org":
        return "code"
    if host in ("huggingface.co",) and len(path) >= 2 and path[0] not in ("blog", "papers", "posts", "learn"):
        return "release"
    if host in ("twitter.com", "x.com", "bsky.app", "mastodon.social", "threads.net"):
        return "social"
    if src.declared_kind == "social":
        return "social"

    head = ctx.ext.text[:400].lower()
    press = {m.key for m in ctx.mentions("press")}
    if len(press) >= 2 or "press release" in press or "today announced" in press or "announced today" in press:
        return "announcement"
    if "abstract" in head or (
        sum(1 for m in ctx.mentions("method") if m.key in _PAPERISH) >= 1
        and (len(ctx.mentions("study")) + len(ctx.mentions("method")) >= 3)
    ):
        return "paper"
    announces = [m for m in ctx.mentions("announce") if m.start < 1500]
    released = ctx.artefacts("model", "dataset", "space") or ctx.mentions("weights")
    if announces and (released or ctx.ext.claims):
        return "release"
    if len(ctx.ext.text) < 400 and not ctx.ext.artefacts:
        return "social" if announces or ctx.ext.claims else "commentary"
    return "commentary"


_PAPERISH = frozenset({"we propose", "in this paper", "this paper", "in this work", "we introduce", "we present"})


def _host_path(url: str | None) -> tuple[str, list[str]]:
    if not url:
        return "", []
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", []
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, [p for p in parts.path.split("/") if p]
