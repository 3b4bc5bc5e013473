from OpenSSL import SSL


def make_server_context(cert_file: str, key_file: str) -> SSL.Context:
    ctx = SSL.Context(SSL.TLSv1_METHOD)
    ctx.use_certificate_file(cert_file)
    ctx.use_privatekey_file(key_file)
    return ctx
