from django.http import JsonResponse

from billing import audit
from billing.models import Invoice


def void_invoice(request, pk):
    reason = request.POST.get("reason", "")
    Invoice.objects.filter(pk=pk).update(status="void")
    audit.record("invoice.void", f"invoice={pk} reason={reason}")
    return JsonResponse({"voided": pk})
