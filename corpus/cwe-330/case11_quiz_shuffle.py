import random

from flask import Flask, render_template

from quiz.models import Question

app = Flask(__name__)


@app.get("/quiz")
def quiz():
    questions = Question.query.limit(20).all()
    random.shuffle(questions)
    return render_template("quiz.html", questions=questions)
