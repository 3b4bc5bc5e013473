import hmac

from aiohttp import web

TOKEN_LENGTH = 43


async def callback(request: web.Request) -> web.Response:
    token = request.headers.get("X-Token", "")
    if len(token) != TOKEN_LENGTH or not hmac.compare_digest(token, request.app["token"]):
        raise web.HTTPForbidden()
    return web.Response(status=204)
