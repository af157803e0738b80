"""Every public page's footer leads to the public results ("Våra resultat"), registered by open results in core's
FOOTER_LINKS, so that core names no app's address."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/lamna-synpunkt/", "/resultat/vara-mal/", "/kontakt/"])
def test_the_footer_links_every_public_results_page(client, municipality, path):
    html = client.get(path).content.decode()
    footer = re.search(r'<nav aria-labelledby="footer-results">.*?</nav>', html, re.S)

    assert footer, "no Våra resultat in the footer"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer.group(0))
    assert links == [
        ("/resultat/du-sa-vi-gjorde/", "Du sa – vi gjorde"),
        ("/resultat/loften/", "Så håller vi våra löften"),
        ("/resultat/vara-mal/", "Våra mål"),
        ("/resultat/siffror/", "Synpunkter i siffror"),
    ]
    for href, _label in links:
        assert client.get(href).status_code == 200
