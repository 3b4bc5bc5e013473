import aiohttp
from aiohttp import web


async def image_proxy(request: web.Request) -> web.Response:
    src = request.query["src"]
    async with aiohttp.ClientSession() as session:
        async with session.get(src, timeout=aiohttp.ClientTimeout(total=10)) as upstream:
            body = await upstream.read()
            ctype = upstream.headers.get("Content-Type", "application/octet-stream")
    return web.Response(body=body, content_type=ctype)
