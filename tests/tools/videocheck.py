#!/usr/bin/env python3
"""tests/tools/videocheck.py - look inside video files for tests.

usage:
  videocheck.py probe FILE            streams and format as ffprobe sees
                                      them, one flat JSON object
  videocheck.py count FILE            frames decoded (ffprobe -count_frames)
  videocheck.py boxes FILE            the MP4 box tree walked here: the
                                      top-level boxes in order and every
                                      box type found below them
  videocheck.py ass FILE.ass          the Dialogue events of an ASS script
  videocheck.py diff A N B M [X Y W H]
                                      mean absolute difference of the luma
                                      of frame N of A and frame M of B (in
                                      the rectangle, else the whole frame)
  videocheck.py steps FILE N... [--rect X Y W H]
                                      the mean luma of each frame N, and
                                      how much each differs from the next
                                      (in the rectangle, else the frame)
  videocheck.py volume FILE FROM TO   the mean and peak volume (dB) of the
                                      sound between two times

Each prints one JSON object.  Standard library only, with the ffmpeg and
ffprobe programs, so the checks are independent of the code they test.
"""
import json
import re
import struct
import subprocess
import sys

# Boxes holding boxes (ISO/IEC 14496-12), as far as an MP4 goes.
CONTAINERS = {b'moov', b'trak', b'edts', b'mdia', b'minf', b'stbl', b'dinf',
              b'udta', b'mvex', b'moof', b'traf', b'mfra'}


def run(cmd):
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def probe(path):
    d = json.loads(run(['ffprobe', '-v', 'error', '-show_streams',
                        '-show_format', '-of', 'json', path]))
    out = {'duration': float(d['format']['duration'])}
    for s in d['streams']:
        k = s['codec_type']
        if k in out:
            continue
        keep = {x: s.get(x) for x in (
            'codec_name', 'profile', 'pix_fmt', 'width', 'height',
            'r_frame_rate', 'avg_frame_rate', 'sample_rate', 'channels',
            'color_space', 'color_transfer', 'color_primaries',
            'color_range', 'start_time', 'duration', 'nb_frames')}
        out[k] = {x: v for x, v in keep.items() if v is not None}
    print(json.dumps(out))


def count(path):
    d = json.loads(run(['ffprobe', '-v', 'error', '-count_frames',
                        '-select_streams', 'v:0', '-show_entries',
                        'stream=nb_read_frames', '-of', 'json', path]))
    print(json.dumps({'frames': int(d['streams'][0]['nb_read_frames'])}))


def boxes(path):
    data = open(path, 'rb').read()
    top, found = [], {}

    def walk(off, end, depth):
        while off + 8 <= end:
            size, kind = struct.unpack('>I4s', data[off:off + 8])
            hdr = 8
            if size == 1:
                size = struct.unpack('>Q', data[off + 8:off + 16])[0]
                hdr = 16
            elif size == 0:
                size = end - off
            if size < hdr or off + size > end:
                raise SystemExit('%s: box %r at %d overruns its parent'
                                 % (path, kind, off))
            name = kind.decode('latin-1')
            if depth == 0:
                top.append(name)
            found[name] = found.get(name, 0) + 1
            if kind in CONTAINERS:
                walk(off + hdr, off + size, depth + 1)
            off += size

    walk(0, len(data), 0)
    print(json.dumps({'top': top, 'boxes': found}))


def ass_time(s):
    h, m, rest = s.split(':')
    return int(h) * 3600 + int(m) * 60 + float(rest)


def ass(path):
    fmt, events = None, []
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('Format:') and fmt is None and 'Text' in line:
            fmt = [f.strip() for f in line[7:].split(',')]
        if not line.startswith('Dialogue:'):
            continue
        f = line[9:].split(',', len(fmt) - 1)
        e = dict(zip([x.strip() for x in fmt], [x.strip() for x in f]))
        text = e['Text']
        pos = re.search(r'\\pos\(([-\d.]+),([-\d.]+)\)', text)
        an = re.search(r'\\an(\d)', text)
        plain = re.sub(r'\{[^}]*\}', '', text).replace('\\N', ' ')
        events.append({'style': e['Style'], 'start': ass_time(e['Start']),
                       'end': ass_time(e['End']), 'text': plain,
                       'raw': text,
                       'pos': [float(pos.group(1)), float(pos.group(2))]
                       if pos else None,
                       'an': int(an.group(1)) if an else None})
    print(json.dumps({'events': events}))


def size(path):
    d = json.loads(run(['ffprobe', '-v', 'error', '-select_streams', 'v:0',
                        '-show_entries', 'stream=width,height', '-of',
                        'json', path]))
    return d['streams'][0]['width'], d['streams'][0]['height']


def grab(path, ns):
    """Frames ns (from 0) of path, decoded once: (width, height, {n: gray
    bytes})."""
    w, h = size(path)
    want = sorted(set(ns))
    runs = []
    for n in want:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    sel = '+'.join('between(n\\,%d\\,%d)' % (a, b) for a, b in runs)
    raw = run(['ffmpeg', '-v', 'error', '-i', path, '-vf', 'select=' + sel,
               '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt',
               'gray', '-'])
    if len(raw) != w * h * len(want):
        raise SystemExit('%s: not all of frames %s are there' % (path, want))
    return w, h, {n: raw[i * w * h:(i + 1) * w * h]
                  for i, n in enumerate(want)}


def mad(w, pa, pb, rect):
    x, y, rw, rh = rect
    total = 0
    for j in range(y, y + rh):
        ra, rb = pa[j * w + x:j * w + x + rw], pb[j * w + x:j * w + x + rw]
        total += sum(abs(p - q) for p, q in zip(ra, rb))
    return total / (rw * rh)


def clip(rect, w, h):
    x, y, rw, rh = rect if rect else (0, 0, w, h)
    x, y = max(0, x), max(0, y)
    return [x, y, min(rw, w - x), min(rh, h - y)]


def diff(a, n, b, m, rect):
    w, h, fa = grab(a, [n])
    w2, h2, fb = grab(b, [m])
    if (w, h) != (w2, h2):
        raise SystemExit('frames of different sizes')
    r = clip(rect, w, h)
    print(json.dumps({'mean': mad(w, fa[n], fb[m], r), 'rect': r}))


def mean(w, p, rect):
    x, y, rw, rh = rect
    return sum(sum(p[j * w + x:j * w + x + rw])
               for j in range(y, y + rh)) / (rw * rh)


def steps(path, ns, rect):
    """Mean lumas of frames ns, and how much each differs from the next
    (in the rectangle)."""
    w, h, f = grab(path, ns)
    r = clip(rect, w, h)
    print(json.dumps({
        'means': [mean(w, f[n], r) for n in ns],
        'steps': [mad(w, f[a], f[b], r) for a, b in zip(ns, ns[1:])]}))


def volume(path, t0, t1):
    err = subprocess.run(['ffmpeg', '-hide_banner', '-nostats', '-ss', t0,
                          '-to', t1, '-i', path, '-vn', '-af', 'volumedetect',
                          '-f', 'null', '-'], capture_output=True,
                         text=True).stderr
    mean = re.search(r'mean_volume: (-?[\d.]+|-inf) dB', err)
    peak = re.search(r'max_volume: (-?[\d.]+|-inf) dB', err)
    if not mean:
        raise SystemExit('%s: no sound between %s and %s' % (path, t0, t1))
    print(json.dumps({'mean': float(mean.group(1)),
                      'peak': float(peak.group(1))}))


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == 'probe':
        probe(args[0])
    elif cmd == 'count':
        count(args[0])
    elif cmd == 'boxes':
        boxes(args[0])
    elif cmd == 'ass':
        ass(args[0])
    elif cmd == 'diff' and len(args) in (4, 8):
        diff(args[0], int(args[1]), args[2], int(args[3]),
             [int(float(v)) for v in args[4:]] or None)
    elif cmd == 'steps':
        rect = None
        if '--rect' in args:
            i = args.index('--rect')
            rect = [int(float(v)) for v in args[i + 1:i + 5]]
            args = args[:i] + args[i + 5:]
        steps(args[0], [int(v) for v in args[1:]], rect)
    elif cmd == 'volume':
        volume(args[0], args[1], args[2])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
