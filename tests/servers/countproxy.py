#!/usr/bin/python3
"""A TCP proxy that counts bytes, for comparing clients in the benchmarks.

    countproxy.py LISTEN_PORT TARGET_PORT OUT     (on 127.0.0.1)

Prints "ready"; after each client connection closes, appends
"<client->server bytes> <server->client bytes>" to OUT.
"""
import asyncio
import sys


async def pipe(reader, writer, counter, key):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            counter[key] += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(cr, cw, target, out):
    sr, sw = await asyncio.open_connection("127.0.0.1", target)
    counter = {"up": 0, "down": 0}
    await asyncio.gather(pipe(cr, sw, counter, "up"), pipe(sr, cw, counter, "down"))
    with open(out, "a") as f:
        f.write(f"{counter['up']} {counter['down']}\n")


async def main():
    listen, target, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, target, out), "127.0.0.1", listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
