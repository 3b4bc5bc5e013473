import base64
import http.client
import ssl


def trigger_build(job: str, user: str, api_token: str) -> int:
    creds = base64.b64encode(f"{user}:{api_token}".encode()).decode()
    conn = http.client.HTTPSConnection(
        "jenkins.example.com", 443, timeout=10, context=ssl.create_default_context()
    )
    conn.request("POST", f"/job/{job}/build", headers={"Authorization": "Basic " + creds})
    status = conn.getresponse().status
    conn.close()
    return status
