from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from docs_app.models import Document
from docs_app.permissions import ensure_can_edit


def update_document(request, pk):
    doc = get_object_or_404(Document, pk=pk)
    ensure_can_edit(request.user, doc)
    doc.body = request.POST["body"]
    doc.save()
    return JsonResponse({"saved": True})
