import yaml
from django.http import JsonResponse

from pipelines.models import Pipeline


def import_pipeline(request):
    spec = yaml.load(request.body, Loader=yaml.Loader)
    pipeline = Pipeline.objects.create(name=spec["name"], definition=spec)
    return JsonResponse({"id": pipeline.id})
