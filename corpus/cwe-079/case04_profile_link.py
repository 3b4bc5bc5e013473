from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from accounts.models import Profile


def profile(request, username):
    prof = get_object_or_404(Profile, user__username=username)
    website = request.GET.get("website") or prof.website
    link = mark_safe("<a href='%s' rel='nofollow'>%s</a>" % (website, website))
    return render(request, "accounts/profile.html", {"profile": prof, "link": link})
