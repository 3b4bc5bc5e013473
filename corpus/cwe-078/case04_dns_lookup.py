import os

from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/dig")
async def dig(request):
    name = request.query.get("name", "example.org")
    record = request.query.get("type", "A")
    with os.popen("dig +short %s %s" % (record, name)) as pipe:
        answer = pipe.read()
    return web.Response(text=answer)


app = web.Application()
app.add_routes(routes)
