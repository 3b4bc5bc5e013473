import httpx
from fastapi import FastAPI, HTTPException

app = FastAPI()
REGION_ENDPOINTS = {
    "eu": "https://eu.api.example.com",
    "us": "https://us.api.example.com",
    "ap": "https://ap.api.example.com",
}


@app.get("/quota")
async def quota(region: str):
    base = REGION_ENDPOINTS.get(region)
    if base is None:
        raise HTTPException(status_code=400, detail="unknown region")
    async with httpx.AsyncClient(timeout=5) as client:
        resp = await client.get(f"{base}/v1/quota")
    return resp.json()
