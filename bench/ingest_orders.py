#!/usr/bin/env python3
"""Signed WooCommerce order.updated deliveries for bench/ingest.sh: one line per request, "signature<TAB>body".

Bodies are PHP-encoded like WooCommerce's (\\/ and \\uXXXX escapes) and signed with base64(HMAC-SHA256(raw body, secret)).
Every 10th line (--duplicates 0.1) repeats an earlier line byte for byte: a store's replay, which the ingest must
persist as an IGNORED receipt without processing it again.
Usage: ingest_orders.py --secret S --count N --first-id ID [--customers 5000] [--duplicates 0.1] [--seed 1] > file
"""
import argparse, base64, hashlib, hmac, json, random, sys

p = argparse.ArgumentParser()
p.add_argument("--secret", required=True)
p.add_argument("--count", type=int, required=True)
p.add_argument("--first-id", type=int, required=True)
p.add_argument("--customers", type=int, default=5000)
p.add_argument("--duplicates", type=float, default=0.1)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
rng = random.Random(a.seed)
key = a.secret.encode()

def php(obj):
    # json.dumps escapes non-ASCII as \uXXXX (lower-case hex, like PHP); PHP also escapes "/".
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")

lines, order_id = [], a.first_id
every = int(round(1 / a.duplicates)) if a.duplicates > 0 else 0
for n in range(a.count):
    if every and n % every == every - 1 and lines:
        lines.append(rng.choice(lines))
        continue
    c = rng.randrange(a.customers)
    total = f"{rng.randrange(500, 20000) / 100:.2f}"
    status = "on-hold" if rng.random() < 0.1 else "processing"
    order = {
        "id": order_id, "parent_id": 0, "number": str(order_id), "status": status, "currency": "USD",
        "total": total, "total_tax": "0.00", "shipping_total": "0.00", "discount_total": "0.00", "customer_id": 0,
        "date_created_gmt": "2026-12-07T10:00:00", "date_modified_gmt": "2026-12-07T10:00:05",
        "date_paid_gmt": "2026-12-07T10:00:05" if status == "processing" else None,
        "billing": {"first_name": "Zo\u00eb", "last_name": f"Customer {c}", "email": f"cust{c}@example.com", "phone": ""},
        "line_items": [{"id": 1, "name": "Caf\u00e9 mug 12/oz", "product_id": 42, "variation_id": 0, "quantity": 1, "sku": "MUG-12", "price": float(total)}],
        "coupon_lines": [], "refunds": [],
        "_links": {"self": [{"href": f"https://shop.example.com/wp-json/wc/v3/orders/{order_id}"}]},
    }
    body = php(order)
    sig = base64.b64encode(hmac.new(key, body.encode(), hashlib.sha256).digest()).decode()
    lines.append(f"{sig}\t{body}")
    order_id += 1
sys.stdout.write("\n".join(lines) + "\n")
