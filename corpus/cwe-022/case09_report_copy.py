import os
import shutil

from aiohttp import web

EXPORT_DIR = "/srv/exports"


async def export_report(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    shutil.copy("/srv/reports/latest.csv", os.path.join(EXPORT_DIR, name))
    return web.json_response({"exported": name})


app = web.Application()
app.router.add_post("/reports/export/{name}", export_report)
