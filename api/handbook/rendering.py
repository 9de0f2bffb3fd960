"""Markdown in, sanitized HTML out: markdown-it-py renders, nh3 (ammonia) keeps only safe markup."""

from __future__ import annotations

import hashlib

import nh3
from markdown_it import MarkdownIt

# CommonMark plus tables; raw HTML in the source is not rendered at all, and what the renderer
# produces still passes the sanitizer, so a script can reach the page by neither road.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
}
# No style attributes: the CSP refuses inline styles, and the app's own CSS lays tables out.
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = {"https", "mailto", "tel"}


def render_markdown(source: str) -> str:
    """Render a section's Markdown to HTML that is safe to put into the page as it is."""
    html = _MARKDOWN.render(source)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def content_hash(title: str, body_md: str) -> bytes:
    """What a member reads: the title and the source text. Offline copies and acknowledgements key on it."""
    return hashlib.sha256(b"section/1\x00" + title.encode("utf-8") + b"\x00" + body_md.encode("utf-8")).digest()
