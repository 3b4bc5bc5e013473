import aiohttp


async def poll_devices(endpoints: list[str]) -> dict[str, int]:
    connector = aiohttp.TCPConnector(ssl=False, limit=20)
    results = {}
    async with aiohttp.ClientSession(connector=connector) as session:
        for url in endpoints:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as resp:
                results[url] = resp.status
    return results
