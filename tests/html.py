"""What a test reads out of a rendered page."""

import re

_ASSET = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*?\s(?:src|href)=\"([^\"]*)\"", re.IGNORECASE)


def assets_from_elsewhere(html: str) -> list[str]:
    """The scripts, styles, images and frames a page loads from another origin (a CDN, say): only our own are wanted.

    A page's own text is not read, so a random token that happens to spell "cdn" cannot fail a test."""
    return [url for url in _ASSET.findall(html) if not url.startswith("/") or url.startswith("//")]
