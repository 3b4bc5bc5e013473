from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/widget", response_class=HTMLResponse)
async def widget(title: str = "Weather", city: str = "Oslo"):
    body = f"<div class='widget'><h3>{title}</h3><span data-city='{city}'></span></div>"
    return HTMLResponse(content=body)
