from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Formula(BaseModel):
    formula: str
    quantities: list[float]


@app.post("/pricing/preview")
def preview(spec: Formula):
    price = eval("lambda q: " + spec.formula)
    return {"prices": [price(q) for q in spec.quantities]}
