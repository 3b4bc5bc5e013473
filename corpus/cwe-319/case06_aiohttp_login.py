import aiohttp

LOGIN_URL = "http://sso.example.com/api/login"


async def login(username: str, password: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            LOGIN_URL, json={"username": username, "password": password}
        ) as resp:
            data = await resp.json()
            return data["token"]
