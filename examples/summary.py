#!/usr/bin/python3
"""Turn `ofii-watch parse --json` lines (stdin) into a short human summary."""
import json
import sys

for line in sys.stdin:
    m = json.loads(line)
    folder, name = m["file"].split("/")[-2:]
    print(f"{folder}/{name}")
    print(f"    from {m['from']} ({m['sender_trust']}): {m['kind']}")
    if m["kind"] != "other" and m["sender_trust"] == "untrusted":
        print("    !! looks like an OFII mail, but the sender is not OFII: "
              "phishing? (no calendar event)")
        continue
    for a in m["appointments"]:
        end = " to " + a["end"][11:] if a["end"] else ""
        print(f"    -> {a['type']} appointment {a['start'].replace('T', ' at ')}"
              f"{end} ({a['tzid']})")
        print(f"       {a['place']}")
    x = m["xray_center"]
    if x:
        print(f"    -> book the chest X-ray NOW: {x['name']}, {x['address']}, "
              f"tel. {x['phone']}")
    if m["items_to_bring"]:
        print("    -> bring: " + ", ".join(m["items_to_bring"]))
