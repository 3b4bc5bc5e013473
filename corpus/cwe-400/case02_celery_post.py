import requests
from celery import shared_task


@shared_task(bind=True, max_retries=5)
def deliver_webhook(self, url: str, payload: dict) -> int:
    try:
        resp = requests.post(url, json=payload)
    except requests.ConnectionError as exc:
        raise self.retry(exc=exc, countdown=30)
    return resp.status_code
