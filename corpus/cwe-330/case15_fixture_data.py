import random

from django.core.management.base import BaseCommand

from shop.models import Product

ADJECTIVES = ["red", "blue", "large", "small", "vintage"]
NOUNS = ["chair", "lamp", "table", "mug", "poster"]


class Command(BaseCommand):
    help = "Populate the development database with sample products"

    def handle(self, *args, **options):
        rng = random.Random(42)
        for _ in range(200):
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            Product.objects.create(name=name, price=rng.randint(5, 500))
