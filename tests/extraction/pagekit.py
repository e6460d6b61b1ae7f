"""Helpers for the extraction tests that write a page inline."""

from __future__ import annotations

from crawler.extract import Extracted, extract_article


def extracted(page: str, url: str) -> Extracted:
    """The page's article; the test fails with the rejection's reason if there is none."""
    result = extract_article(page, url)
    assert isinstance(result, Extracted), result
    return result


def paragraphs(*texts: str) -> str:
    """Each text as its own <p>."""
    return "".join(f"<p>{t}</p>" for t in texts)
