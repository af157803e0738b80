"""Who acts: a logged-in staff account, an anonymous visitor, or None for a system job."""

from django.contrib.auth.models import AnonymousUser, User

Actor = User | AnonymousUser
SystemOrActor = User | AnonymousUser | None
