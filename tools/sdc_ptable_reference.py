#!/usr/bin/env python3
# sdc_ptable_reference.py - generates the p-table rows of src/sdc/ptable.c by the
# maximum-entropy method: noise d in -D..D with p(d) ~ exp(-lambda d^2), variance V,
# weights out of 2^16, centre takes the rest. Prints (lambda, [w0, w1, ..., wD], variance).
import math
def table(D, V, total=65536):
    def var(l):
        w=[math.exp(-l*d*d) for d in range(-D,D+1)]
        s=sum(w); return sum(wi*d*d for wi,d in zip(w,range(-D,D+1)))/s
    lo,hi=-50.0,50.0
    for _ in range(200):
        mid=(lo+hi)/2
        if var(mid)>V: lo=mid
        else: hi=mid
    l=(lo+hi)/2
    w=[math.exp(-l*d*d) for d in range(0,D+1)]
    s=w[0]+2*sum(w[1:])
    c=[0]*(D+1)
    for d in range(1,D+1): c[d]=round(total*w[d]/s)
    c[0]=total-2*sum(c[1:])
    v=2*sum(c[d]*d*d for d in range(1,D+1))/total
    return l,c,v
print(table(2, 1.0))
print(table(1, 2 / 3))
