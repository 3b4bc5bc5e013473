import yaml
from django.http import JsonResponse

from pipelines.models import Pipeline


def import_pipeline(request):
    spec = yaml.safe_load(request.body)
    pipeline = Pipeline.objects.create(name=spec["name"], definition=spec)
    return JsonResponse({"id": pipeline.id})
