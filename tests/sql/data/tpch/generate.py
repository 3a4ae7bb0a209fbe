#!/usr/bin/env python3
"""Writes the small TPC-H-shaped CSV tables tests/sql/tpch/*.test read (deterministic: seed 42).

Not TPC-H's dbgen: a few hundred rows with TPC-H's column names and value shapes, so the query
shapes (multi-way joins, date intervals, EXISTS, correlated scalar subqueries) run in CI quickly.
Run from this directory: python3 generate.py
"""
import csv
import datetime
import random

r = random.Random(42)


def w(name, header, rows):
    with open(name + '.csv', 'w', newline='') as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)


nations = ['ALGERIA', 'ARGENTINA', 'BRAZIL', 'CANADA', 'EGYPT', 'FRANCE', 'GERMANY', 'INDIA', 'JAPAN', 'KENYA']
w('nation', ['n_nationkey', 'n_name', 'n_regionkey'], [[i, n, i % 5] for i, n in enumerate(nations)])
w('region', ['r_regionkey', 'r_name'], [[i, n] for i, n in enumerate(['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'])])
segs = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY']
w('customer', ['c_custkey', 'c_name', 'c_nationkey', 'c_acctbal', 'c_mktsegment', 'c_phone'],
  [[i, 'Customer#%03d' % i, r.randrange(10), round(r.uniform(-999, 9999), 2), r.choice(segs),
    '%d-%03d-%04d' % (10 + r.randrange(20), r.randrange(1000), r.randrange(10000))] for i in range(1, 61)])
w('supplier', ['s_suppkey', 's_name', 's_nationkey', 's_acctbal'],
  [[i, 'Supplier#%03d' % i, r.randrange(10), round(r.uniform(-999, 9999), 2)] for i in range(1, 16)])
types = ['PROMO BRUSHED COPPER', 'STANDARD POLISHED TIN', 'ECONOMY ANODIZED STEEL', 'PROMO PLATED BRASS', 'MEDIUM BURNISHED NICKEL']
conts = ['SM CASE', 'MED BOX', 'LG PACK', 'JUMBO JAR', 'WRAP BAG']
w('part', ['p_partkey', 'p_name', 'p_brand', 'p_type', 'p_size', 'p_container', 'p_retailprice'],
  [[i, r.choice(['forest', 'green', 'lace', 'navy', 'olive']) + ' ' + r.choice(['blush', 'cream', 'puff', 'smoke']),
    'Brand#%d%d' % (1 + r.randrange(5), 1 + r.randrange(5)), r.choice(types), 1 + r.randrange(50), r.choice(conts),
    round(900 + i * 1.5, 2)] for i in range(1, 41)])
ps = []
for p in range(1, 41):
    for s in r.sample(range(1, 16), 2):
        ps.append([p, s, r.randrange(1, 10000), round(r.uniform(1, 1000), 2)])
w('partsupp', ['ps_partkey', 'ps_suppkey', 'ps_availqty', 'ps_supplycost'], ps)
orders, items = [], []
base = datetime.date(1992, 1, 1)
for o in range(1, 301):
    od = base + datetime.timedelta(days=r.randrange(2400))
    status = r.choice('FOP')
    n = 1 + r.randrange(6)
    total = 0
    for ln in range(1, n + 1):
        p = 1 + r.randrange(40)
        s = r.choice([x[1] for x in ps if x[0] == p])
        q = 1 + r.randrange(50)
        price = round(q * (900 + p * 1.5) / 10, 2)
        disc = r.randrange(11) / 100
        tax = r.randrange(9) / 100
        sd = od + datetime.timedelta(days=1 + r.randrange(120))
        cd = od + datetime.timedelta(days=30 + r.randrange(60))
        rd = sd + datetime.timedelta(days=1 + r.randrange(30))
        rf = r.choice('RA') if rd <= datetime.date(1995, 6, 17) else 'N'
        ls = 'F' if sd <= datetime.date(1995, 6, 17) else 'O'
        items.append([o, p, s, ln, q, price, disc, tax, rf, ls, sd, cd, rd, r.choice(['AIR', 'MAIL', 'SHIP', 'TRUCK', 'RAIL'])])
        total += price
    orders.append([o, 1 + r.randrange(50), status, round(total, 2), od,
                   r.choice(['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])])
w('orders', ['o_orderkey', 'o_custkey', 'o_orderstatus', 'o_totalprice', 'o_orderdate', 'o_orderpriority'], orders)
w('lineitem', ['l_orderkey', 'l_partkey', 'l_suppkey', 'l_linenumber', 'l_quantity', 'l_extendedprice', 'l_discount',
               'l_tax', 'l_returnflag', 'l_linestatus', 'l_shipdate', 'l_commitdate', 'l_receiptdate', 'l_shipmode'], items)
