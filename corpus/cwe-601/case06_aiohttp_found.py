from aiohttp import web


async def after_payment(request: web.Request) -> web.Response:
    order = request.query.get("order")
    request.app["orders"].mark_paid(order)
    raise web.HTTPFound(request.query.get("return_to", "/orders"))
