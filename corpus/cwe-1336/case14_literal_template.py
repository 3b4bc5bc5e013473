from fastapi import FastAPI
from jinja2 import Template

app = FastAPI()
GREETING = Template("Hello {{ name }}, you have {{ count }} new messages.")


@app.get("/greeting")
async def greeting(name: str, count: int = 0):
    return {"text": GREETING.render(name=name, count=count)}
