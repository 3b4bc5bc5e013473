import jinja2
from aiohttp import web


async def status_line(request: web.Request) -> web.Response:
    fmt = request.query.get("fmt", "{{ service }} is {{ state }}")
    line = jinja2.Template(fmt).render(service="api", state="up")
    return web.Response(text=line)
