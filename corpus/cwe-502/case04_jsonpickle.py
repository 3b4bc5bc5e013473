import jsonpickle
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/state/restore")
async def restore_state(request: Request):
    body = await request.body()
    state = jsonpickle.decode(body.decode())
    return {"restored": type(state).__name__}
