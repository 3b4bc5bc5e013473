from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/widget", response_class=HTMLResponse)
async def widget(title: str = "Weather", city: str = "Oslo"):
    body = (
        f"<div class='widget'><h3>{escape(title)}</h3>"
        f"<span data-city='{escape(city, quote=True)}'></span></div>"
    )
    return HTMLResponse(content=body)
