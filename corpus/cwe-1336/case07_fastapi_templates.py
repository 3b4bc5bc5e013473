from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")


@app.get("/banner", response_class=HTMLResponse)
async def banner(request: Request, text: str = "Hello"):
    tpl = templates.env.from_string("<div class='banner'>" + text + "</div>")
    return tpl.render(request=request)
