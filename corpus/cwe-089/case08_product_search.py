from aiohttp import web


async def search(request: web.Request) -> web.Response:
    term = request.query.get("q", "")
    pool = request.app["db"]
    async with pool.acquire() as conn:
        async with conn.cursor() as cur:
            await cur.execute(
                "SELECT id, title FROM products WHERE title ILIKE '%" + term + "%' LIMIT 50"
            )
            rows = await cur.fetchall()
    return web.json_response([{"id": r[0], "title": r[1]} for r in rows])


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/search", search)
