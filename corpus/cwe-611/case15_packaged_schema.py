from importlib import resources

from lxml import etree


def load_schema() -> etree.XMLSchema:
    with resources.files("invoicing").joinpath("schemas/invoice.xsd").open("rb") as fh:
        return etree.XMLSchema(etree.parse(fh))


SCHEMA = load_schema()


def validate(document: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return SCHEMA.validate(etree.fromstring(document, parser))
