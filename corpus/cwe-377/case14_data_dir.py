import csv
import os

from django.conf import settings


def write_export(rows) -> str:
    export_dir = os.path.join(settings.BASE_DIR, "var", "exports")
    os.makedirs(export_dir, mode=0o750, exist_ok=True)
    path = os.path.join(export_dir, "customers.csv")
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path
