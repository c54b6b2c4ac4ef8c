"""Coverage growth of libFuzzer runs: `python3 fuzz/curve.py logs/<run>.log ...`.

For each log, the edges (`cov`) and features (`ft`) at half, three quarters and nine tenths
of the run's executions and at its end: a target has plateaued when the last tenth adds
(almost) nothing.
"""
import re, sys
for path in sys.argv[1:]:
    pts=[]
    for l in open(path, errors='replace'):
        m=re.match(r'#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)', l)
        if m: pts.append(tuple(map(int, m.groups())))
    if not pts: print(path, 'no data'); continue
    total=pts[-1][0]
    def at(frac):
        best=pts[0]
        for p in pts:
            if p[0] <= total*frac: best=p
        return best
    h,q,n9,f=at(0.5),at(0.75),at(0.9),pts[-1]
    print(f"{path}: execs {total:,}; cov/ft at 50% {h[1]}/{h[2]}, 75% {q[1]}/{q[2]}, 90% {n9[1]}/{n9[2]}, end {f[1]}/{f[2]}; last 10%: +{f[1]-n9[1]} cov, +{f[2]-n9[2]} ft")
