import msgpack
from aiohttp import web


async def ingest(request: web.Request) -> web.Response:
    events = msgpack.unpackb(await request.read(), raw=False)
    return web.json_response({"accepted": len(events)})
