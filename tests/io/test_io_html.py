"""referat.io.html: page furniture removed by structure, headings and rows kept as lines."""

import pytest

from referat.errors import EmptyTextError
from referat.io import read
from referat.io.html import fragment_blocks, html_to_text

PAGE = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Fjordby</title>
<style>.x{color:red}</style><script>var menu = "Forside";</script></head><body>
<header><div class="top">Fjordby Kommune forside</div><nav><a href="/">Forside</a> <a href="/borger">Borger</a></nav>
<div>Denne side bruger småkager til statistik. <button>Ja tak</button></div></header>
<div class="trail"><a href="/">Forside</a> › <a href="/politik">Politik</a> › <a href="/u">Udvalg</a></div>
<main>
<h1>Miljø- og Klimaudvalget</h1>
<p>Referat</p><p>Mødedato: 04.06.2025 kl. 17:00</p>
<button>Vis alle punkter</button>
<section><h2>1. Godkendelse af dagsorden</h2><p>Sagsnr.: 25-001122</p>
<p><a href="/bilag/1">Bilag til punktet (3)</a></p>
<h3>Beslutning</h3><p>Godkendt.</p></section>
<section><h2>2. Budgetopfølgning</h2>
<div><h4><span>Sags</span><b>fremstilling</b></h4><div>Forbruget er lavere end ventet.<br>Se tabellen.</div>
<table><tr><th>Område</th><th>Budget</th></tr><tr><td>Natur</td><td>400.000</td></tr></table>
<ul><li>Første punkt i listen</li><li>Andet punkt med <a href="/x">et link</a> i teksten om naturen</li></ul>
<p><strong>Indstilling</strong></p><p>Forvaltningen indstiller, at orienteringen tages til efterretning.</p></div>
</section>
<div class="share"><a href="/fb">Del på Facebook</a> <a href="/mail">Send som mail</a></div>
</main>
<aside><p>Kontakt os om noget helt andet</p></aside>
<footer><p>Fjordby Kommune, Torvet 1</p><p><a href="/tilg">Tilgængelighed</a></p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def lines():
    document = read(PAGE.encode("utf-8"), "punkt.html")
    assert document.format == "html" and document.encoding == "utf-8"
    return document.text.split("\n")


def test_furniture_is_gone(lines):
    text = "\n".join(lines)
    for furniture in ("forside", "Forside", "småkager", "Ja tak", "Politik", "Vis alle punkter", "Del på",
                      "Kontakt os", "Torvet", "Tilgængelighed", "Bilag til punktet", "color", "var menu"):
        assert furniture not in text, furniture


def test_headings_sections_rows_and_list_items_are_lines(lines):
    for line in ("Miljø- og Klimaudvalget", "Referat", "1. Godkendelse af dagsorden", "Sagsnr.: 25-001122",
                 "Beslutning", "Godkendt.", "2. Budgetopfølgning", "Sagsfremstilling", "Forbruget er lavere end ventet.",
                 "Se tabellen.", "Område | Budget", "Natur | 400.000", "Første punkt i listen",
                 "Andet punkt med et link i teksten om naturen", "Indstilling"):
        assert line in lines, line
    assert lines.index("1. Godkendelse af dagsorden") < lines.index("2. Budgetopfølgning")


def test_one_item_page_without_main():
    page = ("<html><body><nav><a href='/'>Hjem</a></nav>"
            "<div><a href='/'>Hjem</a> / <a href='/p'>Politik</a> / <a href='/u'>Udvalg</a></div>"
            "<p><a href='/del'>Del siden</a></p><h2>7. Lukning af vej</h2><p>Sagsnr.: 25-7</p>"
            "<h3>Beslutning</h3><p>Vejen lukkes.</p><footer>Fjordby</footer></body></html>")
    assert html_to_text(page).split("\n") == ["7. Lukning af vej", "Sagsnr.: 25-7", "Beslutning", "Vejen lukkes."]


def test_declared_latin1_charset():
    page = "<html><head><meta charset='iso-8859-1'></head><body><p>Ærø og Søby</p></body></html>"
    document = read(page.encode("latin-1"), "x.html")
    assert document.text == "Ærø og Søby"


def test_page_with_only_furniture_is_empty():
    with pytest.raises(EmptyTextError):
        read(b"<html><body><nav><a href='/'>Hjem</a></nav><footer>Fjordby</footer></body></html>", "tom.html")


def test_fragment_blocks_joins_heading_markup():
    blocks = fragment_blocks("<div><h3> <div><b>I</b><span>ndstilling</span></div> </h3><div>At sagen godkendes.</div>"
                             "<h3> </h3><h4>Beslutning</h4><span>Godkendt.</span></div>")
    assert blocks == [("heading", "Indstilling"), ("text", "At sagen godkendes."), ("heading", "Beslutning"),
                      ("text", "Godkendt.")]
