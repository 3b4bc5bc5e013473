import hashlib
import hmac

from aiohttp import web


async def callback(request: web.Request) -> web.Response:
    body = await request.read()
    secret = request.app["signing_secret"]
    if hmac.new(secret, body, hashlib.sha1).hexdigest() == request.headers.get("X-Sig"):
        await request.app["events"].put(body)
        return web.Response(status=204)
    raise web.HTTPForbidden()
