#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from real files: the specs and the generator's
# fixtures for the spec targets, the conformance JSON (official examples and recorded sessions)
# for the decoders. Run from anywhere; writes fuzz/corpus/<target>/ (ignored by git).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="${SHARED:-$root/../shared}"
[ -d "$shared/conformance" ] || shared=/work/shared
corpus="$here/corpus"
mkdir -p "$corpus"/{spec_bytes,spec_mutate,event_delivery,error_body,model_json}

for f in "$root"/specs/*.yaml "$root"/generator/tests/fixtures/*.yaml; do
  cp "$f" "$corpus/spec_bytes/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# spec_mutate reads its bytes as a structured edit list: an empty input is "no edit" (the real
# specs as they are); a few byte strings give it a start with some edits.
: > "$corpus/spec_mutate/empty"
i=0
for f in "$root"/specs/*.yaml; do
  head -c 64 "$f" > "$corpus/spec_mutate/head-$i"; i=$((i + 1))
done

n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$corpus/event_delivery/$n-$(basename "$f")"
  cp "$f" "$corpus/model_json/$n-$(basename "$f")"
  # error_body: [status hi, status lo, flags, code length, code…, body…]
  printf '\x01\x90\x00\x00' | cat - "$f" > "$corpus/error_body/$n-400-$(basename "$f")"
  printf '\x01\xf4\x01\x0aBadRequest' | cat - "$f" > "$corpus/error_body/$n-500-code-$(basename "$f")"
done < <(find "$shared/conformance" -name '*.json' -print0)
# The recorded error bodies on their own.
if command -v python3 >/dev/null; then
  python3 - "$shared/conformance" "$corpus/error_body" <<'PY'
import json, pathlib, sys
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for path in root.rglob("*.json"):
    try:
        doc = json.loads(path.read_text())
    except Exception:
        continue
    bodies = []
    for entry in doc.get("Entries", []) if isinstance(doc, dict) else []:
        if isinstance(entry, dict) and entry.get("StatusCode", 200) >= 400:
            bodies.append((entry["StatusCode"], entry.get("ResponseBody")))
    for status, resp in (doc.get("responses", {}) if isinstance(doc, dict) else {}).items():
        if status.isdigit() and int(status) >= 400 and isinstance(resp, dict):
            bodies.append((int(status), resp.get("body")))
    for status, body in bodies:
        n += 1
        data = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
        (out / f"recorded-{n}").write_bytes(status.to_bytes(2, "big") + b"\x00\x00" + data)
    # Every request and response body of the examples, for model_json.
    if isinstance(doc, dict):
        for key, part in list(doc.get("parameters", {}).items()) + list(doc.get("responses", {}).items()):
            body = part.get("body") if isinstance(part, dict) and key.isdigit() else part
            if isinstance(body, (dict, list)):
                n += 1
                (out.parent / "model_json" / f"body-{n}").write_bytes(json.dumps(body).encode())
print(f"{n} recorded error and example bodies")
PY
fi
printf '\x01\x90\x00\x00{"error":{"code":"X","message":"Y","target":"t","details":[{"code":"A","message":"B"}],"innererror":{"code":"C"}}}' > "$corpus/error_body/handmade-1"
for t in spec_bytes spec_mutate event_delivery error_body model_json; do
  echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
