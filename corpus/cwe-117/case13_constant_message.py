import logging

from aiohttp import web

LOG = logging.getLogger(__name__)


async def webhook(request: web.Request) -> web.Response:
    payload = await request.json()
    LOG.info("webhook received")
    await request.app["queue"].put(payload)
    return web.Response(status=202)
