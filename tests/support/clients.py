"""Clients signed in as someone, on the web and in the API, through a session as a browser is."""

from django.test import Client
from rest_framework.test import APIClient

from stakeholders.models import User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signed_in_api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client
