"""A bounded HTTP load generator, run as its own process: keep-alive connections on loopback only.

Usage: python bench/loadgen.py URL --seconds 10 --concurrency 16 [--method POST --data k=v&...] [--cookie ...]
       [--paths-file FILE]
Prints one JSON object: requests, errors, rps, p50/p95/p99 in milliseconds (and with --raw every latency, so
runs can be pooled).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run(
    url: str,
    seconds: float,
    concurrency: int,
    method: str,
    body: str | None,
    cookie: str | None,
    max_requests: int,
    raw: bool = False,
    paths: list[str] | None = None,
) -> dict:
    """Load ``url``; with ``paths``, each request asks for the next of them on the same host instead."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit("loadgen only targets loopback addresses")
    paths = paths or [parts.path + (f"?{parts.query}" if parts.query else "")]
    headers = {"Connection": "keep-alive"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    budget = [max_requests]

    def worker(start: int):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        turn = start
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    with lock:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [
        threading.Thread(target=worker, args=(n * len(paths) // concurrency,)) for n in range(concurrency)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2) if latencies else 0.0
        )

    result = {
        "requests": len(latencies),
        "errors": errors[0],
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(1000 * statistics.fmean(latencies), 2) if latencies else 0.0,
    }
    if raw:
        result["latencies_ms"] = [round(1000 * latency, 3) for latency in latencies]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--data")
    parser.add_argument("--cookie")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--raw", action="store_true", help="include every latency in the output")
    parser.add_argument("--paths-file", help="paths on URL's host, one a line, asked for in turn")
    args = parser.parse_args()
    paths = Path(args.paths_file).read_text().split() if args.paths_file else None
    print(
        json.dumps(
            run(
                args.url,
                args.seconds,
                args.concurrency,
                args.method,
                args.data,
                args.cookie,
                args.max_requests,
                args.raw,
                paths,
            )
        )
    )


if __name__ == "__main__":
    main()
