"""Markdown rendering: the nh3 allow-list, raw HTML as text, and glossary annotations (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from deliberation.rendering import glossary_from, render_markdown

GLOSSARY = glossary_from(
    [
        ("cctld", "ccTLD", ["ccTLDs", "country code top-level domain"], "A country's domain."),
        ("iana", "IANA", [], "The coordination of the Internet's unique identifiers."),
        ("rough-consensus", "rough consensus", [], "Agreement that answered every objection."),
    ],
    url="/glossary/",
)


def test_raw_html_is_shown_as_text_never_run() -> None:
    html = render_markdown("Hello <script>alert('x')</script> <b onclick='y'>bold</b>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<b" not in html
    assert "&lt;b onclick" in html


def test_dangerous_links_and_images_are_removed() -> None:
    html = render_markdown(
        "[x](javascript:alert(1)) ![img](https://e.org/a.png) [ok](https://e.org)"
    )
    assert 'href="javascript' not in html
    assert "<img" not in html
    assert '<a href="https://e.org" rel="nofollow noopener noreferrer ugc">ok</a>' in html


def test_markdown_formatting_survives() -> None:
    html = render_markdown("**b** *i* `c`\n\n- one\n- two\n\n> quote")
    for tag in (
        "<strong>b</strong>",
        "<em>i</em>",
        "<code>c</code>",
        "<li>one</li>",
        "<blockquote>",
    ):
        assert tag in html


@given(st.text(max_size=300))
def test_no_user_text_yields_a_script_tag_or_event_handler(text: str) -> None:
    html = render_markdown(text).lower()
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert " on" not in "".join(part.split(">")[0] for part in html.split("<")[1:])


def test_terms_are_annotated_whole_word_case_insensitive_first_mention_only() -> None:
    html = GLOSSARY.annotate(
        "<p>Each cctld and the CCTLD; the ccTLDs; IANAx is not IANA.</p>", scope="c1"
    )
    assert html.count('class="term-link"') == 2
    assert 'href="/glossary/#cctld" aria-describedby="gloss-c1-cctld">cctld</a>' in html
    assert 'aria-describedby="gloss-c1-iana">IANA</a>' in html
    assert "IANAx" in html
    assert 'role="tooltip" id="gloss-c1-iana">IANA: The coordination' in html


def test_multiword_terms_and_aliases_match() -> None:
    html = GLOSSARY.annotate(
        "<p>We reached Rough Consensus on the country code top-level domain.</p>", scope="x"
    )
    assert ">Rough Consensus</a>" in html
    assert ">country code top-level domain</a>" in html


def test_no_annotation_inside_links_or_code() -> None:
    html = GLOSSARY.annotate(
        '<p><a href="https://iana.org">IANA</a> <code>IANA</code></p>', scope="x"
    )
    assert "term-link" not in html


def test_scopes_keep_description_ids_unique_on_a_page() -> None:
    first = GLOSSARY.annotate("<p>IANA</p>", scope="a")
    second = GLOSSARY.annotate("<p>IANA</p>", scope="b")
    assert 'id="gloss-a-iana"' in first
    assert 'id="gloss-b-iana"' in second


def test_an_empty_glossary_changes_nothing() -> None:
    assert glossary_from([], url="/g/").annotate("<p>IANA</p>", scope="x") == "<p>IANA</p>"
