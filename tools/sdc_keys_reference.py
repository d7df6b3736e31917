#!/usr/bin/env python3
# sdc_keys_reference.py - an independent implementation (hashlib BLAKE2b + SipHash-2-4 in
# pure Python) of the unit and cell keys of src/sdc/gate.c, with the fixed test secret
# 0,1,...,31. It prints the known answers pinned in tests/unit/test_sdc_keys.c (test H1).
import hashlib, struct
M=(1<<64)-1
def rotl(x,b): return ((x<<b)|(x>>(64-b)))&M
def siphash(key,msg):
    k0,k1=struct.unpack('<QQ',key)
    v0=k0^0x736f6d6570736575; v1=k1^0x646f72616e646f6d; v2=k0^0x6c7967656e657261; v3=k1^0x7465646279746573
    def rnd():
        nonlocal v0,v1,v2,v3
        v0=(v0+v1)&M; v1=rotl(v1,13); v1^=v0; v0=rotl(v0,32)
        v2=(v2+v3)&M; v3=rotl(v3,16); v3^=v2
        v0=(v0+v3)&M; v3=rotl(v3,21); v3^=v0
        v2=(v2+v1)&M; v1=rotl(v1,17); v1^=v2; v2=rotl(v2,32)
    b=len(msg)
    full=b//8*8
    for i in range(0,full,8):
        m=struct.unpack('<Q',msg[i:i+8])[0]; v3^=m; rnd(); rnd(); v0^=m
    last=msg[full:]+bytes(7-(b-full)) + bytes([b&0xff])
    m=struct.unpack('<Q',last)[0]; v3^=m; rnd(); rnd(); v0^=m
    v2^=0xff
    for _ in range(4): rnd()
    return (v0^v1^v2^v3)&M
secret=bytes(range(32))
uk=hashlib.blake2b(b"mdata unit key v1\0"+b"no.ssb.fdb:1.0.0",key=secret,digest_size=16).digest()
ck=hashlib.blake2b(b"mdata cell key v1\0",key=secret,digest_size=16).digest()
print("uk0 %016x"%siphash(uk,struct.pack('<Q',0)))
print("uk1 %016x"%siphash(uk,struct.pack('<Q',1)))
print("ck0 %016x"%siphash(ck,struct.pack('<QI',0,1)))
print("ck sum %016x"%siphash(ck,struct.pack('<QI',0x1122334455667788,2)+b"inntekt"))

# A released sum (spec 4.1 magnitude noise): units 1000..1049, values 10*i, bounds [0, 490].
M64 = (1 << 64) - 1
key_sum = sum(siphash(uk, struct.pack('<Q', u)) for u in range(1000, 1050)) & M64
ck2 = siphash(ck, struct.pack('<QI', key_sum, 2) + b"inntekt")
z = ((ck2 >> 32) / 2**32 - (ck2 & 0xFFFFFFFF) / 2**32) * 2.449489742783178
noisy = sum(10 * i for i in range(50)) + 0.5 * 490 * z
print("sum key_sum %016x noisy %.6f released %s" % (key_sum, noisy, "%.3e" % noisy))
