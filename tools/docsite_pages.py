"""docsite_pages.py COLLECTION_DIR: the Markdown pages in docs/ as antsibull-docs extra docs.

antsibull-docs (the tool behind docs.ansible.com's collection pages) takes extra pages only as
reStructuredText in docs/docsite/rst/, each with a label `ansible_collections.NS.NAME.docsite.*`.
The pages are written once, in Markdown in docs/, where GitHub and Galaxy render them; this script
converts each docs/PAGE.md of a staged copy of the collection (never the checkout) with pandoc
(the pypandoc-binary package) into docs/docsite/rst/PAGE.rst. Links are rewritten on the way:
  PAGE.md            -> :ref: to that page's label (Sphinx checks that it exists)
  PAGE.md#anchor     -> PAGE.html#id (the page next to it in the built site; GitHub's anchor made a docutils id)
  #anchor            -> #id (the same, within the page)
  ../path/in/repo    -> the file in the repository on the web (galaxy.yml `repository`, branch main)
"""

from __future__ import annotations

import json
import pathlib
import posixpath
import sys

import pypandoc
import yaml
from docutils.nodes import make_id

BRANCH = "main"
# GitHub's Markdown; no header ids of its own, so that the reST has no labels but the page's (antsibull-docs allows no others)
MARKDOWN = "gfm-gfm_auto_identifiers"
PANDOC_API = json.loads(pypandoc.convert_text("", "json", format="gfm"))["pandoc-api-version"]


def page_label(collection, stem):
    """The label antsibull-docs requires for an extra docs page."""
    return f"ansible_collections.{collection}.docsite.{stem}"


def text_of(inlines):
    """The plain text of pandoc inline elements (a link's text)."""
    return pypandoc.convert_text(json.dumps(document([{"t": "Plain", "c": inlines}])), "plain", format="json").strip()


def document(blocks):
    """A pandoc JSON document holding `blocks`."""
    return {"pandoc-api-version": PANDOC_API, "meta": {}, "blocks": blocks}


class LinkRewriter:
    """Rewrites the link targets of one page's pandoc AST (see the module docstring)."""

    def __init__(self, collection, pages, repository):
        self.collection = collection
        self.pages = pages
        self.repository = repository.rstrip("/")

    def target(self, url):
        """The new target for `url`, or None to keep it; a str starting with ':ref:' is raw reST."""
        if "://" in url or url.startswith("mailto:"):
            return None
        path, _sep, anchor = url.partition("#")
        if not path:
            return f"#{make_id(anchor)}"
        if path.endswith(".md") and "/" not in path and path[:-3] in self.pages:
            return f"{path[:-3]}.html#{make_id(anchor)}" if anchor else f":ref:{path[:-3]}"
        repo_path = posixpath.normpath(posixpath.join("docs", path))
        if repo_path.startswith("../"):
            raise SystemExit(f"docs: the link {url!r} leaves the repository")
        return f"{self.repository}/blob/{BRANCH}/{repo_path}" + (f"#{anchor}" if anchor else "")

    def rewrite(self, node):
        """Walk the AST in place; return the node (a Link may become raw reST)."""
        if isinstance(node, list):
            return [self.rewrite(child) for child in node]
        if not isinstance(node, dict):
            return node
        if node.get("t") == "Link":
            attr, inlines, (url, title) = node["c"]
            new = self.target(url)
            if new is not None and new.startswith(":ref:"):
                label = page_label(self.collection, new[len(":ref:"):])
                return {"t": "RawInline", "c": ["rst", f":ref:`{text_of(inlines)} <{label}>`"]}
            if new is not None:
                node["c"] = [attr, inlines, [new, title]]
            return node
        return {key: self.rewrite(value) for key, value in node.items()}


def convert(page, rewriter):
    """The reST of one Markdown page, with its label first."""
    ast = json.loads(pypandoc.convert_text(page.read_text(encoding="utf-8"), "json", format=MARKDOWN))
    ast["blocks"] = rewriter.rewrite(ast["blocks"])
    rst = pypandoc.convert_text(json.dumps(ast), "rst", format="json", extra_args=["--wrap=preserve"])
    return f".. _{page_label(rewriter.collection, page.stem)}:\n\n{rst}"


def main(collection_dir):
    """Write docs/docsite/rst/PAGE.rst for every docs/PAGE.md of the staged collection at collection_dir."""
    root = pathlib.Path(collection_dir)
    galaxy = yaml.safe_load((root / "galaxy.yml").read_text(encoding="utf-8"))
    pages = sorted((root / "docs").glob("*.md"))
    rewriter = LinkRewriter(f"{galaxy['namespace']}.{galaxy['name']}", {page.stem for page in pages}, galaxy["repository"])
    out = root / "docs" / "docsite" / "rst"
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (out / f"{page.stem}.rst").write_text(convert(page, rewriter), encoding="utf-8")
    print(f"docs: {len(pages)} pages from docs/*.md in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
