from lxml import etree

LENIENT_PARSER = etree.XMLParser(recover=True, resolve_entities=True)


def parse_document(data: bytes):
    return etree.fromstring(data, LENIENT_PARSER)
