"""One call to an OpenAI-compatible chat endpoint, shared by the LLM judge and ``ask``.

Both send a prompt and need the reply's text back, with the same guarantees:
a size cap on the response, a time limit, and an error that names the
endpoint and what went wrong instead of an exception from the HTTP stack.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from highsignal.errors import HighsignalError

MAX_RESPONSE_BYTES = 2 * 1024 * 1024


async def complete(
    session: aiohttp.ClientSession,
    base_url: str,
    payload: dict[str, Any],
    *,
    timeout: float,
    who: str,
    error: type[HighsignalError],
) -> str:
    """The message text of the first choice; raises ``error`` with a message starting with ``who``."""
    url = f"{base_url}/chat/completions"
    try:
        async with session.post(url, json=payload) as resp:
            raw = await resp.content.read(MAX_RESPONSE_BYTES + 1)
            if len(raw) > MAX_RESPONSE_BYTES:
                raise error(f"{who} at {url} sent more than {MAX_RESPONSE_BYTES} bytes")
            if resp.status != 200:
                raise error(f"{who} at {url} answered HTTP {resp.status}: {raw[:200].decode(errors='replace')}")
    except TimeoutError:
        raise error(f"{who} at {url} did not answer within {timeout:g} s") from None
    except aiohttp.ClientError as exc:
        raise error(f"cannot reach {who} at {url}: {exc}") from None
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise error(f"{who} at {url} did not answer like an OpenAI-compatible endpoint") from None
    if not isinstance(content, str):
        raise error(f"{who} at {url} sent no message content")
    return content
