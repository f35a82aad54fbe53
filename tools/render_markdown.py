#!/usr/bin/env python3
"""Render a review (or any aseanwp Markdown) as GitHub would show it, in headless Chromium, and save page images.

    python tools/render_markdown.py final.md --out out/final      # out/final.html, out/final.pdf, out/final-N.png

Markdown is turned into HTML by markdown-it-py (GitHub's tables and strikethrough), styled with github-markdown-css,
and Mermaid blocks are drawn by mermaid.js, as GitHub draws them. The two assets come from npm:

    npm install --prefix /tmp/render mermaid@11 github-markdown-css   # then --assets /tmp/render/node_modules

Chromium prints the page to PDF once Mermaid has drawn (a virtual-time budget), and pdftoppm turns the pages into
PNG images to look at. Nothing here is needed at run time or in the tests: it is for reading what we ship.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
from pathlib import Path

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>{css}
body {{ margin: 0; }} .markdown-body {{ box-sizing: border-box; max-width: 1012px; margin: 0 auto; padding: 32px; }}
@media print {{ .markdown-body {{ max-width: none; }} table {{ font-size: 11px; }} }}
</style></head>
<body><article class="markdown-body">{body}</article>
<script>{mermaid}</script>
<script>
for (const el of document.querySelectorAll('pre > code.language-mermaid')) {{
  const div = document.createElement('div'); div.className = 'mermaid'; div.textContent = el.textContent;
  el.parentElement.replaceWith(div);
}}
mermaid.initialize({{ startOnLoad: false, theme: 'default' }});
mermaid.run().then(() => {{ document.body.dataset.drawn = 'yes'; }});
</script></body></html>
"""


def to_html(markdown: str, assets: Path, title: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    css = (assets / "github-markdown-css" / "github-markdown-light.css").read_text(encoding="utf-8")
    mermaid = (assets / "mermaid" / "dist" / "mermaid.min.js").read_text(encoding="utf-8")
    return PAGE.format(title=html.escape(title), css=css, body=md.render(markdown), mermaid=mermaid)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("Chromium is not installed (Debian: apt-get install chromium)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("markdown", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="output path without extension")
    ap.add_argument("--assets", type=Path, default=Path("/tmp/render/node_modules"))
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    page = args.out.with_suffix(".html")
    page.write_text(to_html(args.markdown.read_text(encoding="utf-8"), args.assets, args.markdown.name), "utf-8")
    pdf = args.out.with_suffix(".pdf")
    profile = args.out.parent / ".chromium-profile"
    subprocess.run(
        [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--virtual-time-budget=20000", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    shutil.rmtree(profile, ignore_errors=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(args.out)], check=True, timeout=180)
    print(f"wrote {page}, {pdf} and page images {args.out}-N.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
