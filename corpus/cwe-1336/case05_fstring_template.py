from django.http import HttpResponse
from jinja2 import Template


def invoice_note(request):
    customer = request.GET.get("customer", "")
    source = f"Dear {customer}, your invoice {{{{ number }}}} is due on {{{{ due }}}}."
    return HttpResponse(Template(source).render(number="INV-42", due="2024-07-01"))
