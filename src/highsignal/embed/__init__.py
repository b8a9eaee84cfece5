"""Semantic search: text to vectors, vectors to neighbours, and fusing rankings.

An optional stage (``pip install 'highsignal[embed]'``). The default model is
WordLlama's bundled static embedding, which ships inside its wheel: nothing is
downloaded when it loads, it needs no GPU, and it embeds thousands of items a
second on a laptop. Static embeddings understand less than a transformer, so
they never rank alone: search and ask fuse them with the lexical ranking by
reciprocal rank fusion, where a paraphrase the words miss still gets found and
an exact name still wins.
"""

from highsignal.embed.fusion import fuse
from highsignal.embed.index import VectorIndex
from highsignal.embed.model import Embedder, EmbeddingUnavailable, embed_settings, load_embedder

__all__ = ["Embedder", "EmbeddingUnavailable", "VectorIndex", "embed_settings", "fuse", "load_embedder"]
