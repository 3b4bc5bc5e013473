from django import forms

PASSWORD_FIELD = "password"
PASSWORD_RESET_URL = "/accounts/password/reset/"
TOKEN_HEADER = "X-Auth-Token"
PASSWORD_MIN_LENGTH = 12


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, min_length=PASSWORD_MIN_LENGTH)

    def clean(self):
        data = super().clean()
        if data.get(PASSWORD_FIELD, "").lower() == data.get("username", "").lower():
            raise forms.ValidationError("password must differ from the username")
        return data
