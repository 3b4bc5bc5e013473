from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/logout")
async def logout(request: Request):
    request.session.clear()
    target = "/login?logged_out=1" if request.query_params.get("manual") else "/"
    return RedirectResponse(url=target, status_code=303)
