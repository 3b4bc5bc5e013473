from aiohttp import web


async def derived_metric(request: web.Request) -> web.Response:
    payload = await request.json()
    namespace = {"values": payload.get("values", [])}
    exec(f"result = {payload['expression']}", namespace)
    return web.json_response({"result": namespace["result"]})


app = web.Application()
app.router.add_post("/metrics/derived", derived_metric)
