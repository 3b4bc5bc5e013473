from aiohttp import web
from lxml import etree

SOAP_NS = {"soap": "http://schemas.xmlsoap.org/soap/envelope/"}


async def soap(request: web.Request) -> web.Response:
    body = await request.read()
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    envelope = etree.fromstring(body, parser=parser)
    action = envelope.find("soap:Body", SOAP_NS)[0].tag
    return web.Response(text=f"<ok action='{action}'/>", content_type="text/xml")
