import logging

from fastapi import FastAPI, Header

app = FastAPI()
audit = logging.getLogger("audit")


@app.delete("/projects/{project_id}")
def delete_project(project_id: str, x_user: str = Header(...)):
    audit.info("project %s deleted by %s", project_id, x_user)
    return {"deleted": project_id}
