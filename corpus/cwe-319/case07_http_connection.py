import base64
import http.client


def trigger_build(job: str, user: str, api_token: str) -> int:
    creds = base64.b64encode(f"{user}:{api_token}".encode()).decode()
    conn = http.client.HTTPConnection("jenkins.example.com", 8080, timeout=10)
    conn.request("POST", f"/job/{job}/build", headers={"Authorization": "Basic " + creds})
    status = conn.getresponse().status
    conn.close()
    return status
