from flask import Flask, redirect, request

app = Flask(__name__)
DESTINATIONS = {
    "docs": "https://docs.example.com/",
    "status": "https://status.example.com/",
    "billing": "/account/billing",
}


@app.get("/go")
def go():
    return redirect(DESTINATIONS.get(request.args.get("to", ""), "/"))
