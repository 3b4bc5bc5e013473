import smtplib
import ssl
from email.message import EmailMessage


def notify(user: str, password: str, to: str, text: str) -> None:
    msg = EmailMessage()
    msg["From"] = user
    msg["To"] = to
    msg["Subject"] = "Alert"
    msg.set_content(text)
    ctx = ssl.create_default_context()
    with smtplib.SMTP_SSL("smtp.example.com", 465, context=ctx, timeout=30) as smtp:
        smtp.login(user, password)
        smtp.send_message(msg)
