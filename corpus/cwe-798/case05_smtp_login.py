import smtplib
import ssl
from email.message import EmailMessage


def alert(text: str) -> None:
    msg = EmailMessage()
    msg["From"] = msg["To"] = "alerts@example.com"
    msg["Subject"] = "ALERT"
    msg.set_content(text)
    with smtplib.SMTP_SSL("smtp.example.com", 465, context=ssl.create_default_context()) as s:
        s.login("alerts@example.com", "Winter2024!alerts")
        s.send_message(msg)
