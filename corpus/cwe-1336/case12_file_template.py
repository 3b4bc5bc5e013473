from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

env = Environment(loader=PackageLoader("dashboard"), autoescape=select_autoescape())


async def dashboard(request: web.Request) -> web.Response:
    page = env.get_template("dashboard.html").render(user=request.query.get("user", ""))
    return web.Response(text=page, content_type="text/html")
