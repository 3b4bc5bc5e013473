import asyncpg
from fastapi import FastAPI

app = FastAPI()
pool: asyncpg.Pool | None = None


@app.on_event("startup")
async def startup() -> None:
    global pool
    pool = await asyncpg.create_pool(dsn="postgresql://app@db/app")


@app.delete("/items/{item_id}")
async def delete_item(item_id: str):
    async with pool.acquire() as conn:
        await conn.execute(f"DELETE FROM items WHERE public_id = '{item_id}'")
    return {"deleted": item_id}
