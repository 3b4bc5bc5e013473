import smtplib
from email.message import EmailMessage

from django.conf import settings


def send_report(to: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "reports@example.com"
    msg["To"] = to
    msg["Subject"] = "Weekly report"
    msg.set_content(body)
    server = smtplib.SMTP("mail.example.com", 587, timeout=30)
    server.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
    server.send_message(msg)
    server.quit()
