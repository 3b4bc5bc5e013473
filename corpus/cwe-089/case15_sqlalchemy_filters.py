from fastapi import Depends, FastAPI
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import Customer

app = FastAPI()


@app.get("/customers")
def customers(country: str, min_orders: int = 0, session: Session = Depends(get_session)):
    stmt = select(Customer).where(Customer.country == country)
    customers = session.scalars(stmt).all()
    counts = session.execute(
        text("SELECT customer_id, count(*) FROM orders WHERE country = :c GROUP BY customer_id"),
        {"c": country},
    ).all()
    busy = {cid for cid, n in counts if n >= min_orders}
    return [c.email for c in customers if c.id in busy]
