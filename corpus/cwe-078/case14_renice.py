import os

from aiohttp import web


async def renice(request):
    data = await request.post()
    pid = int(data["pid"])
    nice = int(data.get("nice", 10))
    rc = os.system("renice -n %d -p %d" % (nice, pid))
    return web.json_response({"rc": rc})
