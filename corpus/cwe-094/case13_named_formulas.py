from fastapi import FastAPI, HTTPException

app = FastAPI()

FORMULAS = {
    "bmi": "weight / (height ** 2)",
    "bmr_male": "88.362 + 13.397 * weight + 4.799 * height * 100 - 5.677 * age",
    "bmr_female": "447.593 + 9.247 * weight + 3.098 * height * 100 - 4.330 * age",
}


@app.get("/health/{formula}")
def compute(formula: str, weight: float, height: float, age: int = 30):
    expr = FORMULAS.get(formula)
    if expr is None:
        raise HTTPException(status_code=404)
    values = {"weight": weight, "height": height, "age": age}
    return {"value": eval(expr, {"__builtins__": {}}, values)}
