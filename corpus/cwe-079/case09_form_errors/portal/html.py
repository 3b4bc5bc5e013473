def error_box(message):
    return "<div class='alert alert-danger'>" + message + "</div>"
