import os

from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()
API_KEY = os.environ["SERVICE_API_KEY"]


def require_key(x_api_key: str = Header(...)) -> None:
    if not x_api_key == API_KEY:
        raise HTTPException(status_code=401)


@app.get("/internal/stats", dependencies=[Depends(require_key)])
def stats():
    return {"ok": True}
