"""The site: Markdown pages rendered to HTML with their links kept working, and a landing page that
leads to every report, tutorial, letter, dictionary and data-source list, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety_toolkit.config import load_config
from safety_toolkit.site import html_href, markdown_page, render_index, write_site
from safety_toolkit.topics import TOPICS

from .html_page import Page


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("request_data.md", "request_data.html"),
        ("../tutorials/request_data.md#what-the-law-says", "../tutorials/request_data.html#what-the-law-says"),
        ("https://example.org/readme.md", "https://example.org/readme.md"),
        ("../toolkit.yaml", "../toolkit.yaml"),
        ("#section", "#section"),
    ],
)
def test_links_between_markdown_pages_point_at_their_html(href, expected):
    assert html_href(href) == expected


def test_a_markdown_page_is_a_standalone_page_in_the_toolkits_style(tmp_path: Path):
    page = tmp_path / "tutorials" / "requests" / "x.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        "# A title with &lt;b&gt; in it\n\nSee [the guide](../request_data.md#who-may-ask).\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n## Next part\n",
        encoding="utf-8",
    )
    html = markdown_page(tmp_path, page)
    links = Page(html)
    assert "<title>A title with &lt;b&gt; in it</title>" in html
    assert links.links == ["../../index.html", "../request_data.html#who-may-ask"]
    assert '<h2 id="next-part">' in html
    assert "<table>" in html
    assert 'lang="en"' in html
    assert links.sources == []
    assert "<script" not in html


def test_the_landing_page_leads_to_every_page_and_every_link_resolves(project):
    config = load_config(project / "toolkit.yaml")
    (project / "data" / "manifest.json").write_text('{"snapshots": []}\n')  # tracked in a real project
    (project / "references" / "data_dictionaries").mkdir(parents=True, exist_ok=True)
    (project / "references" / "data_dictionaries" / "warrants.md").write_text("# Data dictionary: Warrants\n")
    index = write_site(config)
    html = index.read_text(encoding="utf-8")
    links = Page(html).links
    waiting = [t for t in TOPICS if not config.sources(t)]
    for topic in waiting:
        assert f"tutorials/requests/{topic}.html" in links
    for page in ("tutorials/request_data.html", "references/data_dictionaries/warrants.html"):
        assert page in links
    for page in project.glob("tutorials/*.md"):
        assert page.with_suffix(".html").relative_to(project).as_posix() in links, page
    for page in project.glob("references/data_sources/*.md"):
        assert page.with_suffix(".html").relative_to(project).as_posix() in links, page
    assert f"{len(waiting)} of {len(TOPICS)} topics have no data yet" in html
    # Every local link of every page resolves; the landing page links only to this folder.
    for page in [index, *project.glob("tutorials/**/*.html"), *project.glob("references/**/*.html")]:
        for link in Page(page.read_text(encoding="utf-8")).links:
            if link.startswith(("http://", "https://", "mailto:", "#")):
                assert page != index or link.startswith("mailto:"), link
                continue
            assert (page.parent / link.split("#")[0]).exists(), (page, link)


def test_names_from_the_configuration_are_escaped(project):
    path = project / "toolkit.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("city: Minneapolis", 'city: "<img src=x onerror=alert(1)>"')
    )
    html = render_index(load_config(path))
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
