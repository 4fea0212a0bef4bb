"""The schema as an ODD (issue 14): corpustools/schemas/corpustools.odd documents every element,
attribute, value and Schematron rule of the profile. No ODD processor installs from the registries
(the TEI Stylesheets are not on PyPI, npm or Debian), so the RELAX NG and the Schematron cannot be
generated from it; these tests keep the three in step instead, by name: every element and
attribute corpustools.rng allows, and every value it names, is specified in the ODD, every
Schematron pattern is a constraintSpec, and the ODD specifies nothing the schemas no longer
have. A failure says exactly what to add to (or remove from) the ODD.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from corpustools.validate import RELAX_NG_NAME, SCHEMATRON_NAME, schema_path

ODD_NAME = "corpustools.odd"
RNG = "{http://relaxng.org/ns/structure/1.0}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
TEI = "{http://www.tei-c.org/ns/1.0}"
NAMESPACE_PREFIXES = {"": "", "http://www.tei-c.org/ns/1.0": "", "http://www.w3.org/2001/XInclude": "xi:", "http://www.w3.org/XML/1998/namespace": "xml:"}

# What a profile is, by name: element -> attribute -> the values named for it (empty: any value of its type).
Profile = dict[str, dict[str, set[str]]]


def _qualified(name: str, namespace: str) -> str:
    return NAMESPACE_PREFIXES[namespace] + name


def rng_profile(path: Path) -> Profile:
    """Every element the RELAX NG allows, with the attributes it allows on it in any context and
    the values it names for them. An element defined in several places (title, p) is the union."""
    grammar = etree.parse(str(path)).getroot()
    defines = {define.get("name"): define for define in grammar.iter(RNG + "define")}
    default_namespace = grammar.get("ns", "")
    profile: Profile = {}
    for element in grammar.iter(RNG + "element"):
        namespace = element.get("ns", default_namespace)
        attributes = profile.setdefault(_qualified(element.get("name"), namespace), {})
        for attribute in _reachable(element, defines, RNG + "attribute"):
            values = attributes.setdefault(_qualified(attribute.get("name"), attribute.get("ns", "")), set())
            values.update(value.text or "" for value in _reachable(attribute, defines, RNG + "value"))
    return profile


def _reachable(pattern: etree._Element, defines: dict[str, etree._Element], tag: str) -> Iterator[etree._Element]:
    """The `tag` patterns inside `pattern`, following refs, not entering nested elements (or attributes)."""
    seen: set[str] = set()
    stack = list(pattern)
    while stack:
        node = stack.pop()
        if node.tag == tag:
            yield node
            continue
        if node.tag in (RNG + "element", RNG + "attribute"):
            continue
        if node.tag == RNG + "ref" and node.get("name") not in seen:
            seen.add(node.get("name"))
            stack.extend(defines[node.get("name")])
        else:
            stack.extend(child for child in node if isinstance(child.tag, str))


def odd_profile(odd: etree._ElementTree) -> Profile:
    """Every element the ODD specifies, with its attDefs and their valItems."""
    profile: Profile = {}
    for spec in odd.iter(TEI + "elementSpec"):
        attributes = profile.setdefault(_qualified(spec.get("ident"), spec.get("ns", "http://www.tei-c.org/ns/1.0")), {})
        for definition in spec.iter(TEI + "attDef"):
            attributes[definition.get("ident")] = {item.get("ident") for item in definition.iter(TEI + "valItem")}
    return profile


def schematron_names(root: etree._Element) -> dict[str, set[str]]:
    """The named parts of Schematron, wherever they stand (the .sch, or the ODD's constraintSpecs)."""
    return {
        "pattern": {pattern.get("id") for pattern in root.iter(SCH + "pattern")},
        "phase": {phase.get("id") for phase in root.iter(SCH + "phase")},
        "ns": {ns.get("prefix") for ns in root.iter(SCH + "ns")},
        "key": {key.get("name") for key in root.iter(XSL + "key")},
    }


@pytest.fixture(scope="module")
def odd() -> etree._ElementTree:
    return etree.parse(str(schema_path(ODD_NAME)))


# ---------------------------------------------------------------- what to add, said exactly


def _element_spec_snippet(element: str, attributes: dict[str, set[str]]) -> str:
    prefix, _, name = element.rpartition(":")
    namespace = {"xi": ' ns="http://www.w3.org/2001/XInclude"'}.get(prefix, "")
    mode = "add" if prefix else "change"
    lines = [f'<elementSpec ident="{name}"{namespace} mode="{mode}">', "  <desc>WHY the profile has it</desc>"]
    if attributes:
        lines.append("  <attList>")
        lines.extend("    " + line for attribute, values in sorted(attributes.items()) for line in _att_def_snippet(attribute, values).splitlines())
        lines.append("  </attList>")
    lines.append("</elementSpec>")
    where = "" if prefix else f" (and add {name} to the include list of the moduleRef of its TEI module)"
    return "\n".join(lines) + where


def _att_def_snippet(attribute: str, values: set[str]) -> str:
    if not values:
        return f'<attDef ident="{attribute}" mode="change"><desc>WHAT it says</desc></attDef>'
    items = "".join(f'<valItem ident="{value}"><desc>WHAT it means</desc></valItem>' for value in sorted(values))
    return f'<attDef ident="{attribute}" mode="change"><desc>WHAT it says</desc><valList type="closed" mode="change">{items}</valList></attDef>'


def profile_differences(rng: Profile, odd: Profile) -> list[str]:
    """What the ODD lacks (or has over) the RELAX NG, each as an instruction a person can follow."""
    todo: list[str] = []
    for element in sorted(rng.keys() - odd.keys()):
        todo.append(f"corpustools.rng allows element {element}, which the ODD does not specify; add to schemaSpec:\n{_element_spec_snippet(element, rng[element])}")
    for element in sorted(odd.keys() - rng.keys()):
        todo.append(f"the ODD specifies element {element}, which corpustools.rng no longer allows; remove its elementSpec (and its name from the moduleRef include list)")
    for element in sorted(rng.keys() & odd.keys()):
        allowed, specified = rng[element], odd[element]
        for attribute in sorted(allowed.keys() - specified.keys()):
            todo.append(
                f"corpustools.rng allows @{attribute} on {element}, which the ODD does not specify; "
                f'add to <elementSpec ident="{element.rpartition(":")[2]}"> <attList>:\n{_att_def_snippet(attribute, allowed[attribute])}'
            )
        for attribute in sorted(specified.keys() - allowed.keys()):
            todo.append(f'the ODD specifies @{attribute} on {element}, which corpustools.rng no longer allows; remove its attDef from <elementSpec ident="{element.rpartition(":")[2]}">')
        for attribute in sorted(allowed.keys() & specified.keys()):
            for value in sorted(allowed[attribute] - specified[attribute]):
                todo.append(
                    f"corpustools.rng allows {element}/@{attribute}=\"{value}\", which the ODD does not list; "
                    f'add to the valList of <attDef ident="{attribute}"> in <elementSpec ident="{element.rpartition(":")[2]}">: <valItem ident="{value}"><desc>WHAT it means</desc></valItem>'
                )
            for value in sorted(specified[attribute] - allowed[attribute]):
                todo.append(f"the ODD lists {element}/@{attribute}=\"{value}\", which corpustools.rng no longer allows; remove that valItem")
    return todo


def schematron_differences(sch: dict[str, set[str]], odd: dict[str, set[str]]) -> list[str]:
    snippets = {
        "pattern": '<constraintSpec ident="{name}" scheme="schematron" mode="add"><desc>WHY</desc><constraint><sch:pattern id="{name}">(the pattern, copied from corpustools.sch)</sch:pattern></constraint></constraintSpec>',
        "phase": "<sch:phase id=\"{name}\"> (copied from corpustools.sch) inside the constraint of the constraintSpec 'phases'",
        "ns": "<sch:ns prefix=\"{name}\" uri=\"...\"/> (copied from corpustools.sch) inside the constraint of the constraintSpec 'namespaces'",
        "key": "<xsl:key name=\"{name}\" .../> (copied from corpustools.sch) inside the constraint of the constraintSpec 'keys'",
    }
    todo: list[str] = []
    for kind, snippet in snippets.items():
        for name in sorted(sch[kind] - odd[kind]):
            todo.append(f"corpustools.sch has the {kind} '{name}', which the ODD does not document; add to schemaSpec:\n{snippet.format(name=name)}")
        for name in sorted(odd[kind] - sch[kind]):
            todo.append(f"the ODD documents the Schematron {kind} '{name}', which corpustools.sch no longer has; remove it from the ODD")
    return todo


# ---------------------------------------------------------------- the tests


def test_every_element_attribute_and_value_of_the_rng_is_specified_in_the_odd(odd: etree._ElementTree) -> None:
    todo = profile_differences(rng_profile(schema_path(RELAX_NG_NAME)), odd_profile(odd))
    assert not todo, "corpustools.odd is out of step with corpustools.rng:\n\n" + "\n\n".join(todo)


def test_every_schematron_pattern_is_a_constraint_spec_of_the_odd(odd: etree._ElementTree) -> None:
    sch = schematron_names(etree.parse(str(schema_path(SCHEMATRON_NAME))).getroot())
    todo = schematron_differences(sch, schematron_names(odd.getroot()))
    assert not todo, "corpustools.odd is out of step with corpustools.sch:\n\n" + "\n\n".join(todo)
    # A pattern is documented as a constraintSpec of its own name, so it can be found by its id.
    documented = {spec.get("ident"): spec for spec in odd.iter(TEI + "constraintSpec")}
    for pattern in sorted(sch["pattern"]):
        spec = documented.get(pattern)
        assert spec is not None and spec.get("scheme") == "schematron", f"the pattern '{pattern}' must be in <constraintSpec ident=\"{pattern}\" scheme=\"schematron\">"
        assert spec.find(f"{TEI}constraint/{SCH}pattern[@id='{pattern}']") is not None, f"constraintSpec '{pattern}' must hold <sch:pattern id=\"{pattern}\"> in its constraint"
        assert spec.find(f"{TEI}desc") is not None and "".join(spec.find(f"{TEI}desc").itertext()).strip(), f"constraintSpec '{pattern}' must say why, in a desc"


def test_every_tei_element_of_the_odd_is_included_from_one_module(odd: etree._ElementTree) -> None:
    """A TEI element is taken from its module (moduleRef include) and changed there; a foreign one is added."""
    included = [name for ref in odd.iter(TEI + "moduleRef") for name in ref.get("include", "").split()]
    specified = sorted(spec.get("ident") for spec in odd.iter(TEI + "elementSpec") if spec.get("ns") is None)
    assert sorted(included) == specified, "each TEI elementSpec's ident must be in exactly one moduleRef include list, and only those"
    assert all(spec.get("mode") == "change" for spec in odd.iter(TEI + "elementSpec") if spec.get("ns") is None)
    assert all(spec.get("mode") == "add" for spec in odd.iter(TEI + "elementSpec") if spec.get("ns") is not None)


def test_every_spec_says_why(odd: etree._ElementTree) -> None:
    undocumented = [
        spec.get("ident")
        for spec in odd.iter(TEI + "elementSpec", TEI + "attDef", TEI + "valItem")
        if not "".join(text for desc in spec.findall(f"{TEI}desc") for text in desc.itertext()).strip()
    ]
    assert undocumented == []


def test_the_odd_is_a_tei_document(odd: etree._ElementTree, tei_all: etree.RelaxNG) -> None:
    """The ODD is itself TEI (tei_all holds the tagdocs module), so TEI tools can read and render it."""
    assert tei_all.validate(odd), "\n".join(f"{error.line}: {error.message}" for error in tei_all.error_log)
    spec = odd.find(f".//{TEI}schemaSpec")
    assert (spec.get("ident"), spec.get("start")) == ("corpustools", "TEI teiCorpus")


def test_a_change_to_the_rng_is_reported_with_what_to_add(odd: etree._ElementTree, tmp_path: Path) -> None:
    """What another engineer sees after adding an element and an attribute to the RNG only."""
    grammar = etree.parse(str(schema_path(RELAX_NG_NAME)))
    div = next(element for element in grammar.iter(RNG + "element") if element.get("name") == "div")
    attribute = etree.SubElement(div, RNG + "attribute", name="rendition")
    etree.SubElement(attribute, RNG + "value").text = "#plain"
    new = etree.SubElement(etree.SubElement(div, RNG + "optional"), RNG + "element", name="salute")
    etree.SubElement(etree.SubElement(new, RNG + "optional"), RNG + "attribute", name="rend")
    etree.SubElement(new, RNG + "text")
    changed = tmp_path / "changed.rng"
    grammar.write(str(changed))
    todo = profile_differences(rng_profile(changed), odd_profile(odd))
    assert todo == [
        "corpustools.rng allows element salute, which the ODD does not specify; add to schemaSpec:\n"
        '<elementSpec ident="salute" mode="change">\n  <desc>WHY the profile has it</desc>\n  <attList>\n'
        '    <attDef ident="rend" mode="change"><desc>WHAT it says</desc></attDef>\n  </attList>\n</elementSpec>'
        " (and add salute to the include list of the moduleRef of its TEI module)",
        "corpustools.rng allows @rendition on div, which the ODD does not specify; add to <elementSpec ident=\"div\"> <attList>:\n"
        '<attDef ident="rendition" mode="change"><desc>WHAT it says</desc><valList type="closed" mode="change">'
        '<valItem ident="#plain"><desc>WHAT it means</desc></valItem></valList></attDef>',
    ]
