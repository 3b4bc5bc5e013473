import pickle

from flask import Flask, request

from jobs.queue import enqueue

app = Flask(__name__)


@app.post("/jobs")
def submit_job():
    job = pickle.loads(request.get_data())
    job_id = enqueue(job)
    return {"id": job_id}, 202
