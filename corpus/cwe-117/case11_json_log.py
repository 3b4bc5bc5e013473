import json
import logging

from fastapi import FastAPI, Header

app = FastAPI()
audit = logging.getLogger("audit")


@app.delete("/projects/{project_id}")
def delete_project(project_id: str, x_user: str = Header(...)):
    audit.info(json.dumps({"event": "project.delete", "project": project_id, "user": x_user}))
    return {"deleted": project_id}
