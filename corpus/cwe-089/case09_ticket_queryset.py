from django.shortcuts import render

from helpdesk.models import Ticket


def ticket_list(request):
    tickets = Ticket.objects.filter(queue__slug=request.POST.get("queue", "default"))
    owner = request.POST.get("owner")
    if owner:
        tickets = tickets.extra(where=["assigned_to = '%s'" % owner])
    return render(request, "helpdesk/ticket_list.html", {"tickets": tickets})
