from imaging import download
from imaging.api import wsgi


class ImagesController(wsgi.Controller):
    @wsgi.response(202)
    def create(self, req, body):
        image = body["image"]
        task = download.ImportTask(image["name"], image["location"])
        task.run()
        return {"image": {"name": image["name"], "status": "importing"}}
