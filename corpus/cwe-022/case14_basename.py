import os

from aiohttp import web

EXPORT_DIR = "/srv/exports"


async def fetch_export(request):
    name = os.path.basename(request.query.get("name", ""))
    if not name:
        raise web.HTTPBadRequest()
    return web.FileResponse(os.path.join(EXPORT_DIR, name))
