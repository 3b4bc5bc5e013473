from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()
ASSETS = "/srv/assets"


@app.get("/assets/{asset_path:path}")
async def asset(asset_path: str):
    return FileResponse(f"{ASSETS}/{asset_path}")
