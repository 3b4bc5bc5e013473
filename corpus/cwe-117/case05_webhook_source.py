import logging

from aiohttp import web

LOG = logging.getLogger(__name__)


async def webhook(request: web.Request) -> web.Response:
    source = request.headers.get("X-Source", "unknown")
    LOG.info("webhook received from " + source)
    await request.app["queue"].put(await request.json())
    return web.Response(status=202)
