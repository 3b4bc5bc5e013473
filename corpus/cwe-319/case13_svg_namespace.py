import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
JSON_SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}


def badge(label: str, value: str) -> bytes:
    ET.register_namespace("", SVG_NS)
    root = ET.Element(f"{{{SVG_NS}}}svg", width="120", height="20")
    text = ET.SubElement(root, f"{{{SVG_NS}}}text", x="5", y="14")
    text.text = f"{label}: {value}"
    return ET.tostring(root)
