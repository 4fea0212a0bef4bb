"""TEI export: the contract places, ids, determinism, and the way back to the text."""

from __future__ import annotations

from lxml import etree

from corpustools.cleanfile import article_text
from corpustools.pipeline import clean_text
from corpustools.tei import build_tei, serialise, text_units, xml_id

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_text_from_tei_equals_the_cleaned_text_for_every_article(every_document) -> None:
    for document in every_document:
        assert text_units(build_tei(document)) == article_text(document), document.id


def test_ids_are_unique_prefixed_and_stable(dev_documents) -> None:
    seen: set[str] = set()
    for document in dev_documents.values():
        tree = build_tei(document)
        ids = [element.get(XML_ID) for element in tree.iter() if element.get(XML_ID)]
        prefix = xml_id(document.id)
        assert all(identifier == prefix or identifier.startswith(prefix + ".") for identifier in ids)
        assert not seen.intersection(ids)
        seen.update(ids)
        assert serialise(build_tei(document)) == serialise(tree), "same document, same bytes"


def test_every_div_p_quote_and_item_has_an_id(seed_documents) -> None:
    for document in seed_documents.values():
        tree = build_tei(document)
        for element in tree.xpath("//tei:text//tei:div | //tei:text//tei:p | //tei:text//tei:quote | //tei:text//tei:item", namespaces=NS):
            assert element.get(XML_ID), etree.tostring(element)[:80]


def test_a_document_id_starting_with_a_digit_becomes_an_ncname() -> None:
    assert xml_id("000_7584a26c6b66eb82") == "doc-000_7584a26c6b66eb82"
    assert xml_id("Ada's notes") == "Ada_s_notes"


def test_caps_lead_in_is_marked_as_hi() -> None:
    tree = build_tei(clean_text("A title here\n\nMARTIN AMIS'S book has caused a storm of comment among readers and critics alike.", "x"))
    hi = tree.xpath("//tei:p/tei:hi", namespaces=NS)
    assert [(element.get("rend"), element.text) for element in hi] == [("caps", "MARTIN AMIS'S")]


def test_missing_title_is_marked_not_invented() -> None:
    tree = build_tei(clean_text("by Mordecai Levi, Cambridge Marxists\n\nThe events of October were the greatest in the history of the working class movement.", "x"))
    title = tree.xpath("//tei:titleStmt/tei:title[@type='main']", namespaces=NS)[0]
    # Empty and marked: no placeholder text reaches the title lists of the tools that read it.
    assert (title.get("subtype"), title.text) == ("missing", None)


def test_every_language_the_identifier_can_give_has_a_name_in_the_header() -> None:
    # An Indonesian page got <language ident="id">id</language>: the names were a short dict in code.
    import py3langid.langid

    from corpustools.tei import LANGUAGE_NAMES, language_name

    codes = set(py3langid.langid._load_identifier().nb_classes)
    assert sorted(code for code in codes if code not in LANGUAGE_NAMES) == []
    assert language_name("id") == "Indonesian"
    assert language_name("pt-BR") == "Portuguese"
    assert language_name("und") == "Undetermined"
    text = "Judul berita\n\nPemerintah kota mengumumkan bahwa pembangunan jalan baru akan dimulai pada bulan depan dan selesai tahun ini."
    tree = build_tei(clean_text(text, "x"))
    (language,) = tree.findall(".//tei:langUsage/tei:language", NS)
    assert (language.get("ident"), language.text) == ("id", "Indonesian")
