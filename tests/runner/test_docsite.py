# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docsite as a reader sees it (`make docs-check`): built by tools/build-docsite, opened in headless Chromium.

Chromium renders each page once into a screenshot (build/docsite-check/*.png, to look at) and its DOM after
rendering, whose headings and text say whether a section is missing.
"""

from __future__ import annotations

import html.parser
import importlib.util
import os
import pathlib
import shutil

import pytest
from PIL import Image

from conftest import BUILD, FQCN, MODULES, ROLES, ROOT, assert_ran, clean_env, run

WORK = BUILD / "docsite-check"
SITE = WORK / "site" / "build" / "html" / "collections" / FQCN.replace(".", "/")
PAGES = sorted(path.stem for path in (ROOT / "docs").glob("*.md"))
CHROMIUM = os.environ.get("CHROMIUM", "chromium")
REPOSITORY = "https://github.com/obscura/obscura.zendesk"


def load_docsite_pages():
    """tools/docsite_pages.py as a module."""
    spec = importlib.util.spec_from_file_location("docsite_pages", ROOT / "tools" / "docsite_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOCSITE_PAGES = load_docsite_pages()


class PageText(html.parser.HTMLParser):
    """The headings (h1-h4) and the text of a rendered page."""

    def __init__(self):
        super().__init__()
        self.headings = []
        self.text = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()).rstrip("¶\uf0c1 "))  # minus the heading's link icon
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def chromium(*args):
    """Run headless Chromium (as root it needs --no-sandbox); return the CompletedProcess."""
    return run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args], env=clean_env(HOME=WORK), timeout=120)


def render(page):
    """Screenshot `page` (a path in the site) to WORK/NAME.png and return its rendered DOM as PageText."""
    url = (SITE / page).as_uri()
    shot = WORK / f"{pathlib.Path(page).stem}.png"
    result = chromium("--window-size=1280,2400", f"--screenshot={shot}", "--dump-dom", url)
    assert_ran(result)
    parsed = PageText()
    parsed.feed(result.stdout)
    return shot, parsed


def assert_drawn(shot):
    """The screenshot is a picture of a page, not an empty or single-colour one."""
    with Image.open(shot) as image:
        assert image.size == (1280, 2400)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50, f"{shot} is (nearly) blank: {len(colours)} colours"


@pytest.fixture(name="site", scope="module")
def site_fixture():
    """Build the docsite once (as `make docs` does) into WORK/site."""
    shutil.rmtree(WORK, ignore_errors=True)
    result = run([ROOT / "tools" / "build-docsite", WORK], cwd=ROOT)
    assert_ran(result)
    assert "docsite: " in result.stdout
    return SITE


@pytest.mark.parametrize("module", MODULES)
def test_module_page_has_every_section(site, module):
    """A module's page shows its synopsis, parameters, attributes, examples and return values."""
    shot, page = render(f"{module}_module.html")
    assert_drawn(shot)
    assert page.headings[0].startswith(f"{FQCN}.{module} module"), page.headings[:3]
    for section in ("Synopsis", "Parameters", "Attributes", "Examples", "Return Values"):
        assert section in page.headings, f"{module}: no {section!r} section; headings: {page.headings}"


@pytest.mark.parametrize("role", ROLES)
def test_role_page_has_its_entry_point_options(site, role):
    """The role's page shows its documented entry point (deliver: main has no spec of its own) with its parameter table."""
    shot, page = render(f"{role}_role.html")
    assert_drawn(shot)
    assert page.headings[0].startswith(f"{FQCN}.{role} role"), page.headings[:3]
    assert "Entry point deliver" in " ".join(page.headings), page.headings
    assert "Parameters" in page.headings, page.headings
    text = " ".join(page.text)
    for option in ("oauth_token_dest", "oauth_token_format", "oauth_token_key"):
        assert option in text, f"role {role}: option {option} is not on its page"


def test_index_links_every_page(site):
    """The collection's index lists every module, the role and every docs/ page."""
    shot, page = render("index.html")
    assert_drawn(shot)
    text = " ".join(page.text)
    for module in MODULES:
        assert module in text
    for role in ROLES:
        assert role in text
    for stem in PAGES:
        built = site / "docsite" / f"{stem}.html"
        assert built.is_file(), f"docs/{stem}.md was not built into the site"
        assert f'href="docsite/{stem}.html"' in (site / "index.html").read_text(encoding="utf-8"), f"the index does not link docs/{stem}.md"


@pytest.fixture(name="rewriter")
def rewriter_fixture():
    """The link rewriter for a collection with the pages `install` and `role`."""
    return DOCSITE_PAGES.LinkRewriter(FQCN, {"install", "role"}, REPOSITORY + "/")


@pytest.mark.parametrize("url, expected", [
    ("install.md", ":ref:install"),
    ("role.md#per-host_files", "role.html#per-host-files"),
    ("#the-speed-protocol-of-zendesk_token_file", "#the-speed-protocol-of-zendesk-token-file"),
    ("../simulator/README.md", f"{REPOSITORY}/blob/main/simulator/README.md"),
    ("awx/notes.md", f"{REPOSITORY}/blob/main/docs/awx/notes.md"),
    ("missing.md", f"{REPOSITORY}/blob/main/docs/missing.md"),
    ("https://developer.zendesk.com/api-reference/", None),
    ("mailto:zendesk-collection@obscura.example", None),
])
def test_page_links_are_rewritten_for_the_site(rewriter, url, expected):
    """Links between pages become references or pages of the site; links into the repository point at it on the web."""
    assert rewriter.target(url) == expected


def test_a_link_out_of_the_repository_fails(rewriter):
    """A relative link that leaves the repository fails the conversion, naming the link."""
    with pytest.raises(SystemExit, match=r"'\.\./\.\./elsewhere\.md' leaves the repository"):
        rewriter.target("../../elsewhere.md")


def test_a_page_becomes_labelled_rst(rewriter, tmp_path):
    """A page's reST has antsibull-docs' label first, no other label, and a checked reference for a link to a page."""
    page = tmp_path / "role.md"
    page.write_text("# The role\n\nFirst [install it](install.md).\n\n## Per-host files\n\nText.\n", encoding="utf-8")
    rst = DOCSITE_PAGES.convert(page, rewriter)
    assert rst.startswith(f".. _ansible_collections.{FQCN}.docsite.role:\n\n")
    assert rst.count(".. _") == 1, rst
    assert f":ref:`install it <ansible_collections.{FQCN}.docsite.install>`" in rst
    assert "The role\n========" in rst and "Per-host files\n--------------" in rst
