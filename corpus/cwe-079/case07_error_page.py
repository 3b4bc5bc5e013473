from aiohttp import web


async def not_found(request: web.Request) -> web.Response:
    missing = request.query.get("page", "")
    html = "<html><body><p>No page called <em>" + missing + "</em></p></body></html>"
    return web.Response(text=html, content_type="text/html", status=404)


app = web.Application()
app.router.add_get("/missing", not_found)
