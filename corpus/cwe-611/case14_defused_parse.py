import defusedxml.ElementTree as DET
from aiohttp import web


async def import_gpx(request: web.Request) -> web.Response:
    data = await request.post()
    tree = DET.parse(data["track"].file)
    points = tree.getroot().iter("{http://www.topografix.com/GPX/1/1}trkpt")
    return web.json_response({"points": sum(1 for _ in points)})
