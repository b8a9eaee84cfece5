"""Classify outbound URLs into artefacts a reader can check.

The classification is by host and path shape only: no request is made. A
Hugging Face URL can be a model, a dataset, a Space (a demo) or a paper page;
a GitHub URL is a repository only when it names ``owner/repo`` and is not one
of GitHub's own pages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from ..records import Artefact

# New-style (2007+) and old-style (archive/1234567) arXiv identifiers.
ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)

_HF_RESERVED = frozenset(
    {
        "blog",
        "docs",
        "learn",
        "papers",
        "pricing",
        "login",
        "join",
        "settings",
        "organizations",
        "enterprise",
        "chat",
        "posts",
        "tasks",
        "collections",
        "new",
        "search",
        "api",
        "welcome",
        "huggingface",
        "terms-of-service",
        "privacy",
        "inference-endpoints",
        "notifications",
        "spaces",
        "datasets",
        "models",
        "course",
        "changelog",
        "hub",
        "transformers",
        "inference-api",
    }
)
_GITHUB_RESERVED = frozenset(
    {
        "about",
        "features",
        "pricing",
        "login",
        "join",
        "settings",
        "orgs",
        "topics",
        "trending",
        "explore",
        "marketplace",
        "sponsors",
        "collections",
        "events",
        "search",
        "notifications",
        "enterprise",
        "team",
        "security",
        "site",
        "contact",
        "customer-stories",
        "readme",
        "apps",
        "issues",
        "pulls",
        "codespaces",
        "new",
        "organizations",
        "signup",
        "solutions",
        "resources",
    }
)
_CODE_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "sr.ht", "git.sr.ht")
_DEMO_WORDS = ("demo", "playground", "try")
_DEMO_HOSTS = ("gradio.live", "hf.space", "replicate.com", "poe.com", "lmarena.ai", "chat.lmsys.org")
_WEIGHT_HOSTS = ("ollama.com", "ollama.ai", "modelscope.cn", "civitai.com", "kaggle.com")


def _split(url: str) -> tuple[str, list[str]]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host, [p for p in parts.path.split("/") if p]


_ARTEFACT_HOSTS = frozenset(
    {
        "huggingface.co", "hf.co", "arxiv.org", "export.arxiv.org", "openreview.net", "aclanthology.org",
        "doi.org", "dx.doi.org", "proceedings.neurips.cc", "proceedings.mlr.press", "papers.nips.cc",
        "paperswithcode.com", "pypi.org", "colab.research.google.com", "zenodo.org", "figshare.com",
        *_CODE_HOSTS, *_WEIGHT_HOSTS, *_DEMO_HOSTS,
    }
)  # fmt: skip
_HOST_PREFIXES = ("demo.", "playground.", "api.", "platform.", "console.", "docs.")
_PATH_HINT = re.compile(r"\.pdf|demo|playground|/try|/api|/reference", re.I)


def _maybe_artefact(url: str) -> bool:
    """Cheap test that rules out most ordinary links before any URL parsing."""
    parts = url.split("/", 3)
    if len(parts) < 3:
        return False
    host = parts[2].lower()
    if host.startswith("www."):
        host = host[4:]
    if host in _ARTEFACT_HOSTS or host.endswith((".hf.space", ".gradio.live")) or host.startswith(_HOST_PREFIXES):
        return True
    return len(parts) > 3 and _PATH_HINT.search(parts[3]) is not None


@lru_cache(maxsize=65536)
def classify(url: str) -> Artefact | None:
    """The artefact ``url`` points at, or ``None`` for an ordinary link."""
    if not _maybe_artefact(url):
        return None
    try:
        host, path = _split(url)
    except ValueError:
        return None
    if not host:
        return None
    if host in ("huggingface.co", "hf.co"):
        return _huggingface(url, host, path)
    if host.endswith(".hf.space"):
        return Artefact("space", url, host.split(".", 1)[0], host)
    if host in _CODE_HOSTS:
        if len(path) >= 2 and path[0].lower() not in _GITHUB_RESERVED:
            repo = path[1].removesuffix(".git")
            if path[0].lower() == "orgs" or not repo:
                return None
            return Artefact("code", url, f"{path[0]}/{repo}", host)
        return None
    if host in ("arxiv.org", "export.arxiv.org") and len(path) >= 2 and path[0] in ("abs", "pdf", "html", "format"):
        ident = "/".join(path[1:]).removesuffix(".pdf")
        if ARXIV_ID.fullmatch(ident):
            return Artefact("paper", url, _strip_version(ident), "arxiv.org")
        return None
    if host == "openreview.net" and path[:1] in (["forum"], ["pdf"]):
        return Artefact("paper", url, None, host)
    if host == "aclanthology.org" and path:
        return Artefact("paper", url, path[0].removesuffix(".pdf"), host)
    if host in ("doi.org", "dx.doi.org", "proceedings.neurips.cc", "proceedings.mlr.press", "papers.nips.cc"):
        return Artefact("paper", url, None, host)
    if host == "paperswithcode.com" and path[:1] == ["paper"]:
        return Artefact("paper", url, None, host)
    if path and path[-1].lower().endswith(".pdf"):
        return Artefact("pdf", url, None, host)
    if host == "pypi.org" and len(path) >= 2 and path[0] == "project":
        return Artefact("package", url, path[1].lower(), host)
    if host == "colab.research.google.com":
        return Artefact("notebook", url, None, host)
    if host in _WEIGHT_HOSTS:
        if host.startswith("ollama") and path[:1] == ["library"] and len(path) >= 2:
            return Artefact("model", url, path[1], host)
        if host == "kaggle.com" and path[:1] == ["models"] and len(path) >= 3:
            return Artefact("model", url, "/".join(path[1:3]), host)
        if host == "kaggle.com" and path[:1] == ["datasets"] and len(path) >= 3:
            return Artefact("dataset", url, "/".join(path[1:3]), host)
        if host == "modelscope.cn" and path[:1] == ["models"] and len(path) >= 3:
            return Artefact("model", url, "/".join(path[1:3]), host)
        return None
    if host in ("zenodo.org", "figshare.com") and path:
        return Artefact("dataset", url, None, host)
    if host in _DEMO_HOSTS or host.endswith(".gradio.live"):
        return Artefact("demo", url, None, host)
    first = host.split(".", 1)[0]
    lowered = [p.lower() for p in path]
    if first in ("demo", "playground") or any(_is_demo_segment(p) for p in lowered[:2]):
        return Artefact("demo", url, None, host)
    if first in ("api", "platform", "console") and not host.endswith(("twitter.com", "x.com")):
        return Artefact("api", url, None, host)
    if "docs" in first and any(p in ("api", "api-reference", "reference") for p in lowered[:2]):
        return Artefact("api", url, None, host)
    return None


def _is_demo_segment(segment: str) -> bool:
    return segment in ("demo", "demos", "playground", "try", "try-it") or segment.startswith(("demo-", "demo_", "try-"))


def _huggingface(url: str, host: str, path: list[str]) -> Artefact | None:
    if not path:
        return None
    head = path[0]
    if head == "datasets" and len(path) >= 2:
        ident = "/".join(path[1:3]) if len(path) >= 3 else path[1]
        return Artefact("dataset", url, ident, "huggingface.co")
    if head == "spaces" and len(path) >= 3:
        return Artefact("space", url, "/".join(path[1:3]), "huggingface.co")
    if head == "papers" and len(path) >= 2 and ARXIV_ID.fullmatch(path[1]):
        return Artefact("paper", url, _strip_version(path[1]), "huggingface.co")
    if head.lower() in _HF_RESERVED or head.startswith(("~", "@")):
        return None
    if len(path) >= 2:
        # huggingface.co/<org>/<model>[/blob/main/README.md]: the card is the model page itself.
        ident = f"{path[0]}/{path[1]}"
        return Artefact("model", url, ident, "huggingface.co")
    return None


def _strip_version(arxiv_id: str) -> str:
    head, sep, tail = arxiv_id.rpartition("v")
    return head if sep and tail.isdigit() and head and head[-1].isdigit() else arxiv_id
