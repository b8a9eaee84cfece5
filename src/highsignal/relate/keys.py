"""The keys two items about the same thing would share.

Computed once per item when it is assessed and kept in the store, so finding
an item's story or its corroborating sources is an index lookup, not a pass
over every other item. Four kinds of key, from strongest to weakest:

``a:`` an artefact the item is about (a Hub repo, an arXiv id, a GitHub repo).
  An item that links many artefacts (a weekly round-up) is about none of them
  in particular: its artefacts become ``l:`` keys, which count as a source
  pointing at the artefact (corroboration) but never join stories.
``e:`` a model the item is about: named in its title ("reflection 70b"), or,
  when the title names none, the one model its prose keeps naming.
``t:`` the item's title, normalised (cross-posts and syndicated copies).
``m<band>:`` one band of the MinHash signature of the text (near-duplicates);
  a shared band only proposes a pair, the stored signature confirms it.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

from ..extract.artefacts import classify
from ..records import Artefact, Extraction, Item, Relation
from .entities import subjects

#: Bump when keys are computed differently: stored relations are then recomputed.
KEYS_VERSION = "1"

#: An item linking more artefacts than this is a round-up, not about any one of them.
MAX_SUBJECT_ARTEFACTS = 4

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS  # 16 bands of 4 rows: pairs above ~0.5 Jaccard share a band
SHINGLE_WORDS = 4
MIN_WORDS = 50  # below this, two texts look alike by accident
MINHASH_CHARS = 6_000

_ARTEFACT_KINDS = {"model", "dataset", "space", "code", "paper", "package"}
_WORD = re.compile(r"[a-z0-9]+")
_TITLE_STOP = frozenset(
    (
        "a an the and or of to in on for with from by at is are was be as it its this that new how why what "
        "we our you your i my via vs"
    ).split()
)
# MinHash by multiply-shift hashing: NUM_PERM maps ((a*x + b) mod 2**64) >> 32
# with random odd a (a universal family; the wrap-around is the modulo, so no
# slow division). Fixed seed, so every signature ever stored compares with
# every other.
_rng = np.random.default_rng(1)
_A = _rng.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def artefact_key(art: Artefact) -> str | None:
    """``kind:ident`` for an artefact worth joining on, else ``None``."""
    if art.kind not in _ARTEFACT_KINDS:
        return None
    ident = (art.ident or art.url.split("#", 1)[0].rstrip("/")).lower()
    return f"{art.kind}:{ident}"


def title_key(title: str | None) -> str | None:
    """The title's significant words, for spotting the same post under two feeds; ``None`` if too short."""
    words = [w for w in _WORD.findall((title or "").lower()) if w not in _TITLE_STOP]
    return "t:" + " ".join(words) if len(words) >= 4 else None


def signature(text: str) -> np.ndarray | None:
    """MinHash signature of ``text``'s word shingles, or ``None`` when the text is too short to judge.

    Words are hashed once (CRC-32) and shingles combined from those hashes in
    numpy: hashing every shingle string in Python would cost more than the
    whole assessment of the item.
    """
    words = _WORD.findall(text[:MINHASH_CHARS].lower())
    if len(words) < MIN_WORDS:
        return None
    h = np.array([zlib.crc32(w.encode()) for w in words], dtype=np.uint64)
    n = len(h) - SHINGLE_WORDS + 1
    shingles = h[:n].copy()
    with np.errstate(over="ignore"):
        for k in range(1, SHINGLE_WORDS):
            shingles = shingles * _MIX + h[k : k + n]
        shingles = np.unique(shingles)
        return ((_A * shingles + _B) >> np.uint64(32)).min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[str]:
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(f"m{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    x = np.frombuffer(a, dtype=np.uint32)
    y = np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(x == y)) / len(x)


def relation(item: Item, ext: Extraction, version: str = KEYS_VERSION) -> Relation:
    """The keys (and signature) of one item; topics are filled in by the caller."""
    keys: list[str] = []
    arts = list(dict.fromkeys(k for k in (artefact_key(a) for a in ext.artefacts) if k))
    own = classify(item.url) if item.url else None
    own_key = artefact_key(own) if own else None
    if own_key:
        # A model card or paper page is about itself; what it links (its base
        # model, the papers it cites) it only points at.
        keys.append("a:" + own_key)
        keys += ["l:" + k for k in arts if k != own_key]
    else:
        prefix = "a:" if len(arts) <= MAX_SUBJECT_ARTEFACTS else "l:"
        keys += [prefix + k for k in arts]
    body = ext.text[len(item.title or "") :] if item.title and ext.text.startswith(item.title) else ext.text
    titled, prose = subjects(item.title, body)
    keys += ["e:" + e for e in titled + prose]
    tkey = title_key(item.title)
    if tkey:
        keys.append(tkey)
    sig = signature(item.text or "")
    blob = None
    if sig is not None:
        keys += band_keys(sig)
        blob = sig.tobytes()
    return Relation(
        version=version,
        content_hash=item.content_hash,
        keys=list(dict.fromkeys(keys)),
        minhash=blob,
    )
