#!/usr/bin/env python3
"""tests/tools/audiocheck.py - look inside audio and MIDI files for tests.

usage:
  audiocheck.py frames FILE.wav          frames, rate, channels and the
                                         largest sample, from the data itself
  audiocheck.py seam FILE.wav BARS       the loop seam against the bar lines
  audiocheck.py sum MIX.wav STEM.wav...  how far the stems' sum is from the mix
  audiocheck.py midi FILE.mid            parse a Standard MIDI File strictly
  audiocheck.py loudness FILE            integrated loudness and true peak as
                                         ffmpeg's ebur128 filter measures them

Each prints one JSON object.  Standard library only (and the ffmpeg
program for "loudness"), so the checks are independent of the code they
test.
"""
import array
import heapq
import json
import operator
import re
import struct
import subprocess
import sys


def wav(path):
    """(rate, channels, bits, samples as a list of ints, data bytes)."""
    d = open(path, 'rb').read()
    if d[:4] != b'RIFF' or d[8:12] != b'WAVE':
        raise SystemExit('%s: not a WAV file' % path)
    at, fmt, data = 12, None, None
    while at + 8 <= len(d):
        cid, size = d[at:at + 4], struct.unpack('<I', d[at + 4:at + 8])[0]
        body = d[at + 8:at + 8 + size]
        if cid == b'fmt ':
            fmt = struct.unpack('<HHIIHH', body[:16])
        elif cid == b'data':
            data = body
            if len(body) != size:
                raise SystemExit('%s: data chunk says %d bytes, has %d'
                                 % (path, size, len(body)))
        at += 8 + size + (size & 1)
    if fmt is None or data is None or fmt[0] != 1 or fmt[5] != 16:
        raise SystemExit('%s: not 16-bit PCM' % path)
    return fmt[2], fmt[1], data


def samples(data):
    a = array.array('h')
    a.frombytes(data)
    if sys.byteorder == 'big':
        a.byteswap()
    return a


def frames(path):
    rate, ch, data = wav(path)
    peak = max((abs(v) for v in samples(data)), default=0)
    print(json.dumps({'frames': len(data) // (2 * ch), 'rate': rate,
                      'channels': ch, 'peak': peak}))


def seam(path, bars):
    """High-frequency energy (first differences) in a window across the
    wrap, against the same across each internal bar line."""
    rate, ch, data = wav(path)
    x = samples(data)
    n = len(x) // ch
    w = 256
    chans = [x[c::ch] for c in range(ch)]

    def hf(seq):
        return sum((seq[i] - seq[i - 1]) ** 2 for i in range(1, len(seq)))

    internal = []
    for b in range(1, bars):
        p = round(b * n / bars)
        internal.append(sum(hf(c[p - w:p + w]) for c in chans))
    wrap = sum(hf(list(c[n - w:]) + list(c[:w])) for c in chans)
    jump = max(abs(c[0] - c[-1]) for c in chans)
    steps = []
    for c in chans:
        steps.extend(map(abs, map(operator.sub, c[1:], c[:-1])))
    k = max(1, len(steps) // 1000)
    p999 = heapq.nlargest(k, steps)[-1]
    print(json.dumps({'wrap': wrap, 'internal_max': max(internal),
                      'internal_median': sorted(internal)[len(internal) // 2],
                      'jump': jump, 'step_p999': p999}))


def sumcheck(mix, stems):
    _, _, m = wav(mix)
    m = samples(m)
    ss = [samples(wav(s)[2]) for s in stems]
    total = m
    for s in ss:
        total = list(map(operator.sub, total, s))
    worst = max(map(abs, total))
    print(json.dumps({'max_lsb': worst, 'lengths_equal':
                      all(len(s) == len(m) for s in ss)}))


def vlq(d, i):
    v = 0
    while True:
        b = d[i]
        i += 1
        v = (v << 7) | (b & 0x7f)
        if not b & 0x80:
            return v, i


def midi(path):
    d = open(path, 'rb').read()
    if d[:4] != b'MThd' or struct.unpack('>I', d[4:8])[0] != 6:
        raise SystemExit('%s: no MThd header' % path)
    fmt, ntr, div = struct.unpack('>HHH', d[8:14])
    i, tracks, tempo, notes, last = 14, [], None, 0, 0
    for _ in range(ntr):
        if d[i:i + 4] != b'MTrk':
            raise SystemExit('%s: expected MTrk at %d' % (path, i))
        size = struct.unpack('>I', d[i + 4:i + 8])[0]
        j, end, at, run, name, ended = i + 8, i + 8 + size, 0, None, '', False
        on = {}
        while j < end:
            dt, j = vlq(d, j)
            at += dt
            st = d[j]
            if st == 0xff:
                ty = d[j + 1]
                ln, k = vlq(d, j + 2)
                body = d[k:k + ln]
                if ty == 0x03:
                    name = body.decode()
                elif ty == 0x51:
                    tempo = int.from_bytes(body, 'big')
                elif ty == 0x2f:
                    ended = k + ln == end
                j = k + ln
                continue
            if st & 0x80:
                run = st
                j += 1
            n = 1 if run & 0xf0 in (0xc0, 0xd0) else 2
            ev = d[j:j + n]
            j += n
            kind = run & 0xf0
            if kind == 0x90 and ev[1] > 0:
                notes += 1
                on[(run & 15, ev[0])] = on.get((run & 15, ev[0]), 0) + 1
            elif kind == 0x80 or (kind == 0x90 and ev[1] == 0):
                key = (run & 15, ev[0])
                if on.get(key, 0) <= 0:
                    raise SystemExit('%s: note-off without note-on' % path)
                on[key] -= 1
            last = max(last, at)
        if j != end or not ended:
            raise SystemExit('%s: track %r is malformed' % (path, name))
        if any(v != 0 for v in on.values()):
            raise SystemExit('%s: track %r leaves notes on' % (path, name))
        tracks.append(name)
        i = end
    if i != len(d):
        raise SystemExit('%s: data after the last track' % path)
    print(json.dumps({'format': fmt, 'tracks': tracks, 'division': div,
                      'tempo': tempo, 'notes': notes, 'last': last}))


def loudness(path):
    out = subprocess.run(['ffmpeg', '-hide_banner', '-nostats', '-i', path,
                          '-af', 'ebur128=peak=true', '-f', 'null', '-'],
                         capture_output=True, text=True).stderr
    summary = out[out.rfind('Summary:'):]
    i = re.search(r'I:\s+(-?[\d.]+|-inf) LUFS', summary)
    p = re.search(r'True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS', summary)
    print(json.dumps({'integrated': float(i.group(1)),
                      'true_peak': float(p.group(1))}))


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd = argv[1]
    if cmd == 'frames':
        frames(argv[2])
    elif cmd == 'seam':
        seam(argv[2], int(argv[3]))
    elif cmd == 'sum':
        sumcheck(argv[2], argv[3:])
    elif cmd == 'midi':
        midi(argv[2])
    elif cmd == 'loudness':
        loudness(argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
