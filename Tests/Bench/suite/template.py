# template: a report renderer: str.format and f-strings with format specs ({:,.2f}, {:>10},
# {:^8}, {:05d}), ljust/rjust/center, replace, and joins, building an invoice per customer.
import sys

ITEMS = [("widget", 2.5), ("gadget", 13.75), ("doohickey", 0.99), ("sprocket", 7.0),
         ("thingamajig", 123.456), ("whatsit", 42.0)]

ROW = "| {name:<12} | {qty:>5} | {price:>10,.2f} | {total:>12,.2f} |"


def render_invoice(cust, lines):
    out = []
    title = f" Invoice #{cust:05d} "
    out.append(title.center(52, "="))
    out.append(ROW.replace(",.2f", "").format(name="item", qty="qty", price="price", total="total"))
    out.append("|" + "-" * 14 + "+" + "-" * 7 + "+" + "-" * 12 + "+" + "-" * 14 + "|")
    grand = 0.0
    for name, qty, price in lines:
        total = qty * price
        grand += total
        out.append(ROW.format(name=name, qty=qty, price=price, total=total))
    tax = grand * 0.2
    out.append(f"| {'subtotal':<12} | {'':>5} | {'':>10} | {grand:>12,.2f} |")
    out.append(f"| {'tax 20%':<12} | {'':>5} | {'':>10} | {tax:>12,.2f} |")
    out.append(f"| {'TOTAL':<12} | {'':>5} | {'':>10} | {grand + tax:>12,.2f} |")
    status = "PAID" if cust % 3 == 0 else "due"
    out.append(f"status: {status:^8}|ratio: {tax / (grand or 1):.1%}|code: {cust * 7919 % 65536:#06x}")
    return "\n".join(out), grand + tax


def lines_for(cust):
    result = []
    for k in range(3 + cust % 5):
        name, price = ITEMS[(cust + k) % len(ITEMS)]
        qty = (cust * 31 + k * 17) % 250 + 1
        result.append((name, qty, price * (1 + k / 10)))
    return result


n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
pages = []
total = 0.0
size = 0
for cust in range(1, n + 1):
    text, amount = render_invoice(cust, lines_for(cust))
    total += amount
    size += len(text)
    if cust % 1000 == 1:
        pages.append(text)
summary = "{:>20} {:>15,.2f} {:>8}".format("grand total:", total, n)
print("\n\n".join(pages[:2]))
print(summary)
print(size, "{:e}".format(total), "{:g}".format(total / n), format(total, "_.3f"))
print("%-10s|%8.3f|%5d|%x" % ("percent", total / n, n, n))
