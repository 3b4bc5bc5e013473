from django.db import connection
from django.http import JsonResponse

INVOICE_TABLE = "billing_invoice"


def invoice_lookup(request):
    number = request.GET.get("number", "")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, amount, status FROM {INVOICE_TABLE} WHERE number = %s",
            [number],
        )
        row = cursor.fetchone()
    if not row:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse({"id": row[0], "amount": str(row[1]), "status": row[2]})
