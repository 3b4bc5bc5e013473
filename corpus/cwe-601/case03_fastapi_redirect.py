from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/sso/callback")
async def sso_callback(code: str, state: str, return_to: str = "/"):
    # exchange `code` for a session here
    return RedirectResponse(url=return_to, status_code=303)
