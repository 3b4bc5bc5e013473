import asyncio

from fastapi import FastAPI

app = FastAPI()
REPO = "/srv/git/platform.git"


@app.get("/history")
async def history(author: str, limit: int = 20):
    proc = await asyncio.create_subprocess_shell(
        f"git --git-dir={REPO} log -n {limit} --author='{author}' --oneline",
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    return {"commits": out.decode().splitlines()}
