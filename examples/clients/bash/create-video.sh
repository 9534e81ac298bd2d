#!/usr/bin/env bash
# Turns a script into a narrated MP4 with a ScriptSensei server: submits a job, polls its
# progress, downloads the video. Needs curl (7.55+) and jq (1.6+); written for bash 3.2 (macOS) too.
#
#   ./create-video.sh [SCRIPT_FILE] [-o OUTPUT]      (OUTPUT defaults to video.mp4)
#
# Environment:
#   SCRIPTSENSEI_URL      the server (default http://localhost:8012); the API is under /api/v1
#   SCRIPTSENSEI_TOKEN    bearer token, when the server has auth on (API_KEYS, JWT_SECRET, JWKS_URL)
#   SCRIPTSENSEI_USER_ID  owner of the job when auth is off (with auth on, the token decides)
#
# Exits 0 with the video saved; 1 when the server refuses the request, the job fails, or it does
# not finish within DEADLINE_SECONDS; 2 on bad arguments.
set -euo pipefail

# What to render: edit to taste. An unconfigured voice_provider falls back to the server's default voice, with a warning.
LANGUAGE=en-US
PLATFORM=youtube # youtube | tiktok | shorts | reels | instagram
DURATION_SECONDS=15 # a pacing hint, not a hard length
VOICE_PROVIDER=espeak
PRIORITY=5 # 1-10, higher runs sooner
POLL_INTERVAL_SECONDS=2
DEADLINE_SECONDS=600
BUILT_IN_SCRIPT="ScriptSensei turns a written script into a narrated video.

This one was made by the Bash client example."

base="${SCRIPTSENSEI_URL:-http://localhost:8012}"
API="${base%/}/api/v1"
USER_ID="${SCRIPTSENSEI_USER_ID:-example-user}"

usage() {
  echo "usage: create-video.sh [SCRIPT_FILE] [-o OUTPUT]" >&2
  exit 2
}

script_file="" output="video.mp4"
while (($#)); do
  case "$1" in
    -o | --output) (($# >= 2)) || usage; output="$2"; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "unknown option: $1" >&2; usage ;;
    *) [[ -z "$script_file" ]] || usage; script_file="$1"; shift ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# curl reads the token from a file (-H @file), so it never shows up in `ps` on a shared machine.
# Without a token the file is empty and adds no header.
auth_header="$work/auth-header"
: >"$auth_header"
[[ -z "${SCRIPTSENSEI_TOKEN:-}" ]] || printf 'Authorization: Bearer %s\n' "$SCRIPTSENSEI_TOKEN" >"$auth_header"

# call METHOD URL [BODY_FILE]: the answer's body on stdout. Waits out 429s for as long as the
# server's Retry-After asks; any other error status is printed (with each field at fault) and
# ends the script.
call() {
  local method="$1" url="$2" body_file="${3:-}" status retry name value
  local args=(-sS -X "$method" -H "@$auth_header" -D "$work/headers" -o "$work/body" -w '%{http_code}')
  [[ -z "$body_file" ]] || args+=(-H "Content-Type: application/json" --data-binary "@$body_file")
  while :; do
    : >"$work/body" # curl writes no file for an empty answer: never show the previous one
    # curl has printed why (refused, DNS, TLS) when it fails. `set -e` does not reach in here:
    # bash turns it off inside $( ), where this function runs.
    status="$(curl "${args[@]}" "$url")" || exit 1
    if [[ "$status" == 2?? ]]; then
      cat "$work/body"
      return
    fi
    if [[ "$status" == 429 ]]; then
      # This server sends whole seconds; fall back to 5 s if a proxy sends nothing usable.
      retry=5
      while IFS=': ' read -r name value; do
        value="${value%$'\r'}"
        if [[ "$name" =~ ^[Rr]etry-[Aa]fter$ && "$value" =~ ^[0-9]+$ && "$value" -gt 0 ]]; then retry="$value"; fi
      done <"$work/headers"
      if ((SECONDS + retry > DEADLINE_SECONDS)); then
        echo "Error: rate limited past the deadline" >&2
        exit 1
      fi
      echo "Rate limited (429): retrying in $retry s" >&2
      sleep "$retry"
      continue
    fi
    # Error answers are JSON; a proxy in front may answer HTML instead, so show the start of it.
    if ! jq -er --arg status "$status" \
      'select(.error) | "HTTP \($status) \(.error.code): \(.error.message)", (.error.fields[]? | "  \(.field): \(.message)")' \
      "$work/body" >&2 2>/dev/null; then
      echo "HTTP $status: $(head -c 300 "$work/body")" >&2
    fi
    exit 1
  done
}

if [[ -n "$script_file" ]]; then
  name="$(basename "$script_file")"
  name="${name%.*}"
  cp "$script_file" "$work/script.txt"
else
  name=scriptsensei-example
  printf '%s' "$BUILT_IN_SCRIPT" >"$work/script.txt"
fi

# The create body of the original service: its clients send exactly this. --rawfile passes the
# script as it is (any size, any characters) without going through the command line.
jq -n --rawfile script "$work/script.txt" --arg name "$name" --arg user "$USER_ID" \
  --arg language "$LANGUAGE" --arg platform "$PLATFORM" --arg voice_provider "$VOICE_PROVIDER" \
  --argjson duration "$DURATION_SECONDS" --argjson priority "$PRIORITY" \
  '{ video_request: { script_id: $name, user_id: $user, title: $name, script_content: $script,
       language: $language, platform: $platform, duration: $duration, voice_provider: $voice_provider },
     priority: $priority }' >"$work/request.json"

echo "Submitting \"$name\" to $API"
job="$(call POST "$API/jobs/" "$work/request.json")"
job_id="$(jq -r .job_id <<<"$job")"
echo "Job $job_id created ($(jq -r .status <<<"$job"))"
jq -r '.warnings[]? | "Warning: \(.)"' <<<"$job"

# Polling is all the original service offered; GET /jobs/{id}/events streams the same snapshots (SSE).
# jq does the arithmetic (progress is 0..1), so no bc is needed.
progress_line='"[\(.progress * 100 + 0.5 | floor)%] \(.status) \(.stage): \(.message)"'
last_line=""
while :; do
  line="$(jq -r "$progress_line" <<<"$job")"
  [[ "$line" == "$last_line" ]] || echo "$line"
  last_line="$line"
  status="$(jq -r .status <<<"$job")"
  case "$status" in success | failure | cancelled) break ;; esac
  if ((SECONDS + POLL_INTERVAL_SECONDS > DEADLINE_SECONDS)); then
    echo "Error: job $job_id did not finish within $DEADLINE_SECONDS s" >&2
    exit 1
  fi
  sleep "$POLL_INTERVAL_SECONDS"
  job="$(call GET "$API/jobs/$job_id")"
done

if [[ "$status" != success ]]; then
  echo "Job $job_id ended in $status: $(jq -r 'if .error then "\(.error.code): \(.error.message)" else .message end' <<<"$job")" >&2
  exit 1
fi

video_url="$(jq -r .result.video_url <<<"$job")"
echo "Video: $video_url ($(jq -r '(.result.duration * 10 + 0.5 | floor) / 10' <<<"$job") s)"
# With auth on, video_url is a signed link; the token goes along too, and curl does not send it
# on if the server redirects to the storage (S3, GCS) on another host. Written beside the output
# first, so a cut download never looks like a finished video.
curl -fsSL -H "@$auth_header" -o "$output.part" "$video_url"
mv "$output.part" "$output"
echo "Saved $output ($(wc -c <"$output" | tr -d ' ') bytes)"
