import json

from flask import Flask, request

from jobs.queue import enqueue

app = Flask(__name__)


@app.post("/jobs")
def submit_job():
    job = json.loads(request.get_data())
    return {"id": enqueue(job)}, 202
