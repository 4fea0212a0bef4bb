"""TEI export: the contract places, ids, determinism, and the way back to the text."""

from __future__ import annotations

from lxml import etree

from corpustools.cleanfile import article_text
from corpustools.pipeline import clean_text
from corpustools.tei import Edition, build_tei, serialise, text_units, xml_id

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


def test_every_caps_lead_in_of_a_seed_is_marked_the_same_way(seed_documents) -> None:
    # "A NEW" was marked, "WHO WAS Stalin" and "MUCH OF Amis’ book" were not.
    tree = build_tei(seed_documents["004_7ffd91957bcffdf4"])
    assert [element.text for element in tree.xpath("//tei:p/tei:hi[@rend='caps']", namespaces=NS)] == ["A NEW", "AMIS’ REASONING", "WHO WAS", "MUCH OF", "THE MOST"]


def test_the_seed_quotation_of_two_paragraphs_is_one_quote(seed_documents) -> None:
    tree = build_tei(seed_documents["004_7ffd91957bcffdf4"])
    (quote,) = tree.xpath("//tei:quote[tei:p[starts-with(., '\"By the time of the great Purges')]]", namespaces=NS)
    assert [p.text[:20] for p in quote.findall("tei:p", NS)] == ['"But who did protest', '"By the time of the ']
    assert quote.getprevious().text == "Trepper wrote:"


def test_the_tei_writes_the_lead_in_the_model_records_and_decides_nothing() -> None:
    from corpustools.model import Block, BlockKind, Document, Metadata, Section

    words = "WHO WAS Stalin and what did he represent in the end?"
    marked, unmarked = Block(BlockKind.PARAGRAPH, (words,), lead_in="WHO WAS"), Block(BlockKind.PARAGRAPH, (words,))
    tree = build_tei(Document(id="x", metadata=Metadata(), sections=(Section(blocks=(marked, unmarked)),)))
    paragraphs = tree.xpath("//tei:body//tei:p", namespaces=NS)
    assert [[hi.text for hi in paragraph.findall("tei:hi", NS)] for paragraph in paragraphs] == [["WHO WAS"], []]
    assert ["".join(paragraph.itertext()) for paragraph in paragraphs] == [words, words]


def test_missing_title_is_marked_not_invented() -> None:
    tree = build_tei(clean_text("by Mordecai Levi, Cambridge Marxists\n\nThe events of October were the greatest in the history of the working class movement.", "x"))
    title = tree.xpath("//tei:titleStmt/tei:title[@type='main']", namespaces=NS)[0]
    assert (title.get("subtype"), title.text) == ("missing", "[Untitled]")


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


def _mixed_texts(root: etree._Element) -> list[str]:
    """The exact text of every paragraph, byline, heading and item: whitespace inside them is text."""
    return ["".join(element.itertext()) for element in root.iter(*(f"{{{NS['tei']}}}{name}" for name in ("p", "byline", "head", "item", "hi", "docAuthor")))]


def test_serialising_adds_no_whitespace_inside_mixed_content(seed_documents) -> None:
    # <p>\n  <hi rend="caps">A NEW</hi> book...: the indentation became a leading space of the text.
    from io import BytesIO

    from corpustools.model import Author, Block, BlockKind, Document, Front, Metadata, Section
    from corpustools.tei import ExportRecord
    from corpustools.tei.corpus import CorpusEntry, read_article, write_corpus

    made = Document(
        id="mixed",
        metadata=Metadata(authors=(Author("Ada Example"),)),
        front=Front(title="A title", bylines=("Ada Example",)),
        sections=(Section(blocks=(Block(BlockKind.PARAGRAPH, ("A NEW book by the novelist has caused a storm of comment among readers.",), lead_in="A NEW"),)),),
    )
    documents = [made, *seed_documents.values()]
    streamed = BytesIO()
    write_corpus(streamed, [CorpusEntry.of(document, ExportRecord()) for document in documents], (read_article(serialise(build_tei(document))) for document in documents), Edition())
    corpus = etree.fromstring(streamed.getvalue())
    for document, article in zip(documents, corpus.findall("{http://www.tei-c.org/ns/1.0}TEI"), strict=True):
        built = build_tei(document).getroot()
        assert _mixed_texts(etree.fromstring(serialise(build_tei(document)))) == _mixed_texts(built), document.id
        assert _mixed_texts(article) == _mixed_texts(built), document.id
    written = serialise(build_tei(made)).decode()
    assert '"><hi rend="caps">A NEW</hi> book' in written
    assert "<byline><docAuthor>Ada Example</docAuthor></byline>" in written
