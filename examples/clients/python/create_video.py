#!/usr/bin/env python3
"""Turns a script into a narrated MP4 with a ScriptSensei server: submits a job, polls its
progress, downloads the video. Python 3.9+, standard library only.

    python3 create_video.py [SCRIPT_FILE] [-o OUTPUT]      (OUTPUT defaults to video.mp4)

Environment:
    SCRIPTSENSEI_URL      the server (default http://localhost:8012); the API is under /api/v1
    SCRIPTSENSEI_TOKEN    bearer token, when the server has auth on (API_KEYS, JWT_SECRET, JWKS_URL)
    SCRIPTSENSEI_USER_ID  owner of the job when auth is off (with auth on, the token decides)

Exits 0 with the video saved; 1 when the server refuses the request, the job fails, or it does
not finish within DEADLINE_SECONDS; 2 on bad arguments.
"""
import argparse
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.request

# What to render: edit to taste. An unconfigured voice_provider falls back to the server's default voice, with a warning.
LANGUAGE = "en-US"
PLATFORM = "youtube"  # youtube | tiktok | shorts | reels | instagram
DURATION_SECONDS = 15  # a pacing hint, not a hard length
VOICE_PROVIDER = "espeak"
PRIORITY = 5  # 1-10, higher runs sooner
POLL_INTERVAL_SECONDS = 2
DEADLINE_SECONDS = 600
BUILT_IN_SCRIPT = (
    "ScriptSensei turns a written script into a narrated video.\n\n"
    "This one was made by the Python client example."
)

API = (os.environ.get("SCRIPTSENSEI_URL") or "http://localhost:8012").rstrip("/") + "/api/v1"
TOKEN = os.environ.get("SCRIPTSENSEI_TOKEN")
USER_ID = os.environ.get("SCRIPTSENSEI_USER_ID") or "example-user"
FINAL_STATES = ("success", "failure", "cancelled")

DEADLINE = time.monotonic() + DEADLINE_SECONDS


class ApiError(Exception):
    """A refusal from the server, already explained on stderr."""


def say(text):
    # Flushed, so progress shows up line by line even when stdout is a pipe.
    print(text, flush=True)


def open_url(url, method="GET", body=None):
    """Opens `url` with the token, waiting out 429s for as long as the server's Retry-After asks.
    Any other error status is printed (with each field at fault) and raised as ApiError."""
    while True:
        request = urllib.request.Request(url, method=method)
        if body is not None:
            request.data = json.dumps(body).encode("utf-8")
            request.add_header("Content-Type", "application/json")
        if TOKEN:
            # Unredirected: if the server redirects a download to the storage (S3, GCS), the
            # token must not follow it there.
            request.add_unredirected_header("Authorization", "Bearer " + TOKEN)
        try:
            return urllib.request.urlopen(request, timeout=30)
        except urllib.error.HTTPError as error:
            if error.code == 429:
                # This server sends whole seconds; fall back to 5 s if a proxy sends nothing usable.
                retry_after = error.headers.get("Retry-After", "")
                seconds = int(retry_after) if retry_after.isdigit() and int(retry_after) > 0 else 5
                error.close()
                if time.monotonic() + seconds > DEADLINE:
                    raise RuntimeError("rate limited past the deadline") from None
                say(f"Rate limited (429): retrying in {seconds} s")
                time.sleep(seconds)
                continue
            explain(error)
            raise ApiError(f"HTTP {error.code}") from None


def explain(error):
    """Prints an error answer: its code and message, then each field the server found at fault."""
    text = error.read().decode("utf-8", "replace")
    try:
        details = json.loads(text).get("error") or {}
    except (ValueError, AttributeError):
        # A proxy in front may answer HTML: show the start of it.
        details = {}
    code = details.get("code") or error.reason
    message = details.get("message") or text[:300]
    print(f"HTTP {error.code} {code}: {message}", file=sys.stderr)
    for issue in details.get("fields") or []:
        print(f"  {issue['field']}: {issue['message']}", file=sys.stderr)


def call_json(url, method="GET", body=None):
    with open_url(url, method, body) as response:
        return json.load(response)


def report(job, last_line):
    """Prints the job's state when it differs from the last line printed; returns the line."""
    line = f"[{round(job['progress'] * 100)}%] {job['status']} {job['stage']}: {job['message']}"
    if line != last_line:
        say(line)
    return line


def main():
    parser = argparse.ArgumentParser(description="Render a script into a narrated MP4 with ScriptSensei.")
    parser.add_argument("script", nargs="?", help="text file with the script (default: a built-in one)")
    parser.add_argument("-o", "--output", default="video.mp4", help="where to save the MP4 (default: video.mp4)")
    args = parser.parse_args()  # exits 2 with usage on bad arguments

    if args.script:
        name = os.path.splitext(os.path.basename(args.script))[0]
        with open(args.script, encoding="utf-8") as f:
            script = f.read()
    else:
        name, script = "scriptsensei-example", BUILT_IN_SCRIPT

    # The create body of the original service: its clients send exactly this.
    body = {
        "video_request": {
            "script_id": name,
            "user_id": USER_ID,
            "title": name,
            "script_content": script,
            "language": LANGUAGE,
            "platform": PLATFORM,
            "duration": DURATION_SECONDS,
            "voice_provider": VOICE_PROVIDER,
        },
        "priority": PRIORITY,
    }
    say(f'Submitting "{name}" to {API}')
    job = call_json(API + "/jobs/", "POST", body)
    say(f"Job {job['job_id']} created ({job['status']})")
    for warning in job.get("warnings", []):
        say(f"Warning: {warning}")

    # Polling is all the original service offered; GET /jobs/{id}/events streams the same snapshots (SSE).
    line = report(job, "")
    while job["status"] not in FINAL_STATES:
        if time.monotonic() + POLL_INTERVAL_SECONDS > DEADLINE:
            raise RuntimeError(f"job {job['job_id']} did not finish within {DEADLINE_SECONDS} s")
        time.sleep(POLL_INTERVAL_SECONDS)
        job = call_json(f"{API}/jobs/{job['job_id']}")
        line = report(job, line)

    result = job.get("result")
    if job["status"] != "success" or not result:
        error = job.get("error") or {}
        reason = f"{error['code']}: {error['message']}" if error else job["message"]
        print(f"Job {job['job_id']} ended in {job['status']}: {reason}", file=sys.stderr)
        return 1

    # With auth on, video_url is a signed link; the token goes along too (see open_url).
    say(f"Video: {result['video_url']} ({result['duration']:.1f} s)")
    # Written beside the output first, so a cut download never looks like a finished video.
    partial = args.output + ".part"
    with open_url(result["video_url"]) as response, open(partial, "wb") as f:
        shutil.copyfileobj(response, f)
    os.replace(partial, args.output)
    say(f"Saved {args.output} ({os.path.getsize(args.output)} bytes)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ApiError:
        sys.exit(1)  # already explained
    except (OSError, RuntimeError, ValueError) as error:
        # OSError covers the network (URLError: refused, DNS, TLS) and files.
        print(f"Error: {error}", file=sys.stderr)
        sys.exit(1)
