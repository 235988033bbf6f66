# json_roundtrip: builds nested documents (dicts, lists, strings, numbers, booleans, None),
# encodes them with json.dumps (compact, indented, sorted keys), decodes them with json.loads
# and checks that the round trip gives back equal documents.
import json
import sys


def make_doc(i):
    return {
        "id": i,
        "name": f"user{i:05d}",
        "active": i % 3 != 0,
        "score": round(i * 1.37 % 100, 2),
        "tags": [f"t{(i * k) % 17}" for k in range(i % 5 + 1)],
        "address": {
            "street": f"{i * 7 % 1000} Main St",
            "city": ["Paris", "Oslo", "Lima", "Kyiv", "Quito"][i % 5],
            "zip": None if i % 4 == 0 else f"{i * 13 % 100000:05d}",
        },
        "history": [{"day": d, "amount": (i * d) % 97 / 4, "ok": d % 2 == 0} for d in range(i % 4)],
        "note": "line one\nline \"two\"\tend \u00e9\u4e2d" if i % 10 == 0 else "",
    }


def walk(doc):
    if isinstance(doc, dict):
        return 1 + sum(walk(v) for v in doc.values())
    if isinstance(doc, list):
        return 1 + sum(walk(v) for v in doc)
    return 1


n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
docs = [make_doc(i) for i in range(n)]
compact = json.dumps(docs)
pretty = json.dumps(docs, indent=2, sort_keys=True)
ascii_off = json.dumps(docs, ensure_ascii=False, separators=(",", ":"))
back1 = json.loads(compact)
back2 = json.loads(pretty)
back3 = json.loads(ascii_off)
assert back1 == docs and back2 == docs and back3 == docs
total = 0
for d in back2:
    total += walk(d)
    text = json.dumps(d, sort_keys=True)
    assert json.loads(text) == d
print(len(compact), len(pretty), len(ascii_off), total)
print(pretty[:300])
print(json.dumps(back3[10], sort_keys=True))
