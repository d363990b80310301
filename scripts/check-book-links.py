#!/usr/bin/env python3
"""Fails on a broken internal link in the built book (mdbook itself only warns, or not at all).

Usage: check-book-links.py BOOK_SRC BUILT_HTML

Every link of every page in BOOK_SRC (Markdown, as written) is resolved:
  - a relative link must name a file of the book (a page .md, an image, ...) and stay inside
    BOOK_SRC;
  - a #fragment, on its own or after a page, must be the id of an element of that page as
    mdbook built it in BUILT_HTML (heading ids are mdbook's, so they are read, not guessed).
Absolute URLs (https:, mailto:, ...) are not fetched. Links inside code are not links.
Prints each broken link with its page and line; exits 1 if there is one, 0 otherwise.
"""

from __future__ import annotations

import html.parser
import os
import re
import sys
from pathlib import Path

# [text](target "title") and [text]: target; images too. Code spans and blocks are cut first.
INLINE = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
HTML_LINK = re.compile(r"""<a\s[^>]*href=["']([^"']+)["']""", re.IGNORECASE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


def ids_of(html_file: Path) -> set[str]:
    parser = Ids()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.ids


def links(markdown: str):
    """(line number, target) of every link outside code."""
    in_fence = False
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = re.sub(r"`[^`]*`", "", line)
        for pattern in (INLINE, HTML_LINK):
            for match in pattern.finditer(line):
                yield number, match.group(1)
        match = REFERENCE.match(line)
        if match:
            yield number, match.group(1)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, built = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if not (src / "SUMMARY.md").is_file() or not (built / "index.html").is_file():
        print(f"check-book-links: {src} is not a book source or {built} not a built book", file=sys.stderr)
        return 2
    ids_cache: dict[Path, set[str]] = {}
    broken: list[str] = []
    pages = sorted(src.rglob("*.md"))
    checked = 0
    for page in pages:
        for number, target in links(page.read_text(encoding="utf-8")):
            checked += 1
            where = f"{page.relative_to(src.parent)}:{number}: {target}"
            if SCHEME.match(target):
                continue
            path_part, _, fragment = target.partition("#")
            target_file = (page.parent / path_part).resolve() if path_part else page
            if os.path.commonpath([src, target_file]) != str(src):
                broken.append(f"{where}: leaves the book")
                continue
            if not target_file.exists():
                broken.append(f"{where}: no such file")
                continue
            if not fragment:
                continue
            if target_file.suffix != ".md":
                broken.append(f"{where}: a #fragment on a file that is not a page")
                continue
            html_file = built / target_file.relative_to(src).with_suffix(".html")
            if html_file not in ids_cache:
                ids_cache[html_file] = ids_of(html_file) if html_file.exists() else set()
            if fragment not in ids_cache[html_file]:
                broken.append(f"{where}: no #{fragment} on that page")
    for line in broken:
        print(f"broken link: {line}")
    print(f"check-book-links: {len(pages)} pages, {checked} links, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
