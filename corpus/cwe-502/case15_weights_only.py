import tempfile

import torch
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/models")
async def upload_model(file: UploadFile):
    with tempfile.NamedTemporaryFile(suffix=".pt") as tmp:
        tmp.write(await file.read())
        tmp.flush()
        state = torch.load(tmp.name, map_location="cpu", weights_only=True)
    return {"tensors": len(state)}
