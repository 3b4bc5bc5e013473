import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class ImportRequest(BaseModel):
    source_url: str


@app.post("/imports")
async def create_import(spec: ImportRequest):
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.get(spec.source_url)
    return {"bytes": len(resp.content), "type": resp.headers.get("content-type")}
