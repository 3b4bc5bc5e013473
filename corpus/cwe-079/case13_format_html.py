from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe

SEPARATOR = mark_safe("<span class='sep'>&middot;</span>")


def profile_links(request):
    website = request.GET.get("website", "")
    label = request.GET.get("label", website)
    link = format_html("<a href='{}' rel='nofollow'>{}</a>", website, label)
    return render(request, "profile.html", {"link": link, "sep": SEPARATOR})
