"""The story sanitiser: what an attacker would try, and what an author needs kept."""

import pytest

from thidua.exemplars.sanitise import clean_html, photo_ids, plain_text, safe_href


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Xin <strong>chào</strong></p>", "<p>Xin <strong>chào</strong></p>"),
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ("<p onclick=\"alert(1)\" style=\"color:red\" class=\"x\">ok</p>", "<p>ok</p>"),
        ("<img src=x onerror=alert(1)>", ""),
        ('<img src="https://evil.example/a.png" alt="a">', ""),
        ('<img src="/vinh-danh/anh/7/" alt="Trao giải" onload="x()">', '<img src="/vinh-danh/anh/7/" alt="Trao giải">'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href="java&#10;script:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href="&#106;avascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href="//evil.example/">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href="https://skhcn.tiengiang.gov.vn/" target="_blank">x</a>', '<a href="https://skhcn.tiengiang.gov.vn/" rel="nofollow noopener">x</a>'),
        ('<a href="/vinh-danh/">x</a>', '<a href="/vinh-danh/" rel="nofollow noopener">x</a>'),
        ("<style>p{}</style><iframe src=x></iframe>văn bản", "văn bản"),
        ("<svg><script>alert(1)</script></svg><p>sau</p>", "<p>sau</p>"),
        ("<p>mở<ul><li>một", "<p>mở<ul><li>một</li></ul></p>"),
        ("</p></div>chữ", "chữ"),
        ("<div><span>chữ</span></div>", "chữ"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("&lt;script&gt;", "&lt;script&gt;"),
        ("<!-- <script>x</script> --><p>x</p>", "<p>x</p>"),
        ("<P>HOA</P>", "<p>HOA</p>"),
        ("<p>   </p><p></p>", ""),
        ('<a title="&quot;><script>x</script>" href="/">y</a>', '<a href="/" title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" rel="nofollow noopener">y</a>'),
    ],
)
def test_clean_html(dirty, clean):
    assert clean_html(dirty) == clean


def test_decomposed_text_comes_out_composed():
    assert clean_html("<p>Nguye\u0302\u0303n</p>") == "<p>Nguyễn</p>"


def test_images_can_be_dropped_or_limited_to_the_exemplars_photos():
    story = '<p>a</p><img src="/vinh-danh/anh/3/" alt="x"><img src="/vinh-danh/anh/4/" alt="y">'
    assert clean_html(story, allow_images=False) == "<p>a</p>"
    assert clean_html(story, allowed_photos={4}) == '<p>a</p><img src="/vinh-danh/anh/4/" alt="y">'
    assert photo_ids(clean_html(story)) == [3, 4]


@pytest.mark.parametrize("href", ["http://a.vn", "https://a.vn/x", "mailto:a@b.vn", "/trang"])
def test_safe_links(href):
    assert safe_href(href) == href


@pytest.mark.parametrize("href", ["javascript:x", "vbscript:x", "data:x", "//a.vn", "/\\a.vn", "file:///etc/passwd", ""])
def test_unsafe_links(href):
    assert safe_href(href) is None


def test_plain_text_for_search_and_documents():
    assert plain_text("<h3>Tựa</h3><p>Một &amp; hai</p><ul><li>ba</li></ul>") == "Tựa\nMột & hai\nba"
