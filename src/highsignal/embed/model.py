"""Embedding models that run offline from an installed package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from highsignal.errors import HighsignalError

INSTALL_HINT = "install the embed extra: pip install 'highsignal[embed]'"

#: Texts are cut to this many characters before tokenising: a static embedding is an average, and
#: the start of an item says what it is about.
MAX_CHARS = 4000


class EmbeddingUnavailable(HighsignalError):
    """Semantic search was asked for but no embedding model can be loaded."""


class Embedder(Protocol):
    """Turns texts into unit-length vectors; ``name`` identifies the vectors it makes in the store."""

    name: str
    dim: int
    #: The cosine above which a passage answers a question by meaning alone (each model's scale differs).
    relevant_similarity: float

    def embed(self, texts: list[str]) -> np.ndarray:
        """A (len(texts), dim) float32 array of unit-length rows (all zeros for a text with no known token)."""
        ...


@dataclass(slots=True, frozen=True)
class EmbedSettings:
    """The ``[embed]`` config table."""

    enabled: bool = True
    model: str = "wordllama"
    batch: int = 256


def embed_settings(config: dict[str, Any] | None) -> EmbedSettings:
    """Settings from the ``[embed]`` table, with a clear error for a value that cannot work."""
    table = (config or {}).get("embed") or {}
    if not isinstance(table, dict):
        raise HighsignalError("[embed] in the config file must be a table")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise HighsignalError(f"[embed] enabled must be true or false, not {enabled!r}")
    model = table.get("model", "wordllama")
    if model not in MODELS:
        raise HighsignalError(f"[embed] model {model!r} is not known; choose one of: {', '.join(MODELS)}")
    return EmbedSettings(enabled=enabled, model=model)


class WordLlamaEmbedder:
    """WordLlama's ``l2_supercat`` static embedding (256 dimensions), read from the files in its wheel.

    It is loaded from the package's own files rather than through
    ``WordLlama.load``, which in the released version looks for the bundled
    tokenizer in a folder that does not exist and then tries the network.
    """

    name = "wordllama-l2_supercat-256-lower"
    dim = 256
    # Measured on the 100k-item benchmark store: the best passage for a paraphrased question it can answer
    # scored 0.47 to 0.74; for questions it cannot answer, 0.29 to 0.41, with one outlier at 0.55 (a GPU
    # advert, for a question about what NVIDIA launched) that the name rule in ask.retrieve keeps out.
    relevant_similarity = 0.45

    def __init__(self) -> None:
        try:
            import wordllama
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
            from wordllama.inference import WordLlamaInference
        except ImportError as exc:
            raise EmbeddingUnavailable(
                f"semantic search is not installed ({exc.name} is missing): {INSTALL_HINT}"
            ) from None
        root = Path(wordllama.__file__).parent
        weights = root / "weights" / "l2_supercat_256.safetensors"
        tokenizer = root / "tokenizers" / "l2_supercat_tokenizer_config.json"
        if not weights.exists() or not tokenizer.exists():
            raise EmbeddingUnavailable(
                f"the installed wordllama has no bundled l2_supercat model under {root}: reinstall the embed extra"
            )
        table = load_file(str(weights))["embedding.weight"]
        self._model = WordLlamaInference(table, Tokenizer.from_file(str(tokenizer)))

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Its tokenizer is case-sensitive: "Does" and "does" are different tokens, and a question typed
        # in capitals would land far from the same words in lower case. Everything is embedded lower-cased.
        cut = [t[:MAX_CHARS].lower() if t.strip() else "." for t in texts]
        vectors = np.asarray(self._model.embed(cut, norm=False, batch_size=64), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors


MODELS = {"wordllama": WordLlamaEmbedder}


def load_embedder(config: dict[str, Any] | None = None) -> Embedder:
    """The configured embedding model; ``EmbeddingUnavailable`` says why there is none and how to get one."""
    settings = embed_settings(config)
    if not settings.enabled:
        raise EmbeddingUnavailable("semantic search is turned off ([embed] enabled = false in the config file)")
    return MODELS[settings.model]()
