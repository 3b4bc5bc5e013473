from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "k#9x!v2@m7q$w4z^e8r*t1y(u6i)o3p-a5s+d0f=g"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
