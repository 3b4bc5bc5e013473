from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
ASSETS = Path("/srv/assets").resolve()


@app.get("/assets/{asset_path:path}")
async def asset(asset_path: str):
    target = (ASSETS / asset_path).resolve()
    if not target.is_relative_to(ASSETS) or not target.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(target)
