from flask import Flask, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import EmailField
from wtforms.validators import DataRequired, Email

app = Flask(__name__)
csrf = CSRFProtect(app)


class EmailForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])


@app.route("/account/email", methods=["GET", "POST"])
@login_required
def change_email():
    form = EmailForm()
    if form.validate_on_submit():
        current_user.email = form.email.data
        current_user.save()
        return redirect(url_for("account"))
    return render_template("email.html", form=form)
