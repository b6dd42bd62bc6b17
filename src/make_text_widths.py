#!/usr/bin/python3
"""Generate src/text_widths.h: how wide each character is drawn, for the
labels' sizes in every layout (src/text_width.c).

Usage:
    python3 src/make_text_widths.py [-o src/text_widths.h]

Measures every character of WenQuanYi Micro Hei (Debian's fonts-wqy-microhei,
the CJK font `make demo` installs) the way the pictures used to be measured:
through Graphviz and pango, one label per character. Needs Graphviz, the font
and fontconfig's fc-match and fc-query. A character's advance is given in
thousandths of an em, the widths in runs of characters of one advance.

Why a table and not the font at run time: measuring through pango cost every
layout 15 to 25 ms (loading pango, cairo and fontconfig, then shaping each
label), more than the layout itself, and the picture depended on the fonts of
the machine that drew it. With the table every machine lays a graph out the
same way.

Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys
import unicodedata

FAMILY = "WenQuanYi Micro Hei"
# Graphviz measures at 96 dpi and rounds each advance to a whole pixel: at
# 7500 pt an em is 10000 px, so a thousandth of an em is 10 px, and the
# rounding is far below it. The width Graphviz reports is the label's in
# points plus one, truncated (gvtextlayout_pango.c), so thousandths =
# (width - 1) / 7.5 to within 0.13.
SIZE = 7500


def font_file():
    path = subprocess.run(["fc-match", "-f", "%{file}", FAMILY], check=True,
                          capture_output=True, text=True).stdout
    family = subprocess.run(["fc-query", "-i", "0", "--format", "%{family[0]}", path],
                            check=True, capture_output=True, text=True).stdout
    if family != FAMILY:
        sys.exit("make_text_widths: %s is not installed (fc-match gives %s)" % (FAMILY, path))
    return path


# Characters of no width of their own: controls, format characters, line
# and paragraph separators, and combining marks (which, alone in a label,
# pango draws on a dotted circle). text_width.c gives them none.
NO_WIDTH = {"Cc", "Cf", "Zl", "Zp", "Mn", "Me"}


def characters(path):
    """The code points the font's first face draws, but those of no width."""
    charset = subprocess.run(["fc-query", "-i", "0", "--format", "%{charset}", path],
                             check=True, capture_output=True, text=True).stdout
    cps = []
    for run in charset.split():
        first, _, last = run.partition("-")
        cps.extend(range(int(first, 16), int(last or first, 16) + 1))
    return [cp for cp in cps if unicodedata.category(chr(cp)) not in NO_WIDTH]


def dot_string(cp):
    text = chr(cp)
    return '"%s"' % ("\\\\" if text == "\\" else "\\\"" if text == '"' else text)


def measure(cps):
    """Each code point's advance in thousandths of an em."""
    lines = ['graph { node [shape=plaintext fontname="%s" fontsize=%d pos="0,0"]' % (FAMILY, SIZE)]
    lines += ["n%d [label=%s]" % (cp, dot_string(cp)) for cp in cps]
    lines.append("}")
    xdot = subprocess.run(["neato", "-n", "-Txdot"], input="\n".join(lines), check=True,
                          capture_output=True, text=True).stdout
    widths = {}
    # one node a statement: n<cp> [... _ldraw_="F … T x y j WIDTH n -TEXT ", …]
    for name, width in re.findall(r'\bn(\d+)\s*\[[^\]]*?_ldraw_="[^"]*?T \S+ \S+ \S+ (\S+) ', xdot):
        widths[int(name)] = round((float(width) - 1) / (SIZE / 1000))
    missing = [cp for cp in cps if cp not in widths]
    if missing:
        sys.exit("make_text_widths: no width for %d characters (first U+%04X)" % (len(missing), missing[0]))
    return widths


def runs(widths):
    """(first, last, advance) over runs of consecutive code points of one advance."""
    out = []
    for cp in sorted(widths):
        if out and out[-1][1] == cp - 1 and out[-1][2] == widths[cp]:
            out[-1][1] = cp
        else:
            out.append([cp, cp, widths[cp]])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default=os.path.join(os.path.dirname(__file__), "text_widths.h"))
    args = parser.parse_args()
    path = font_file()
    table = runs(measure(characters(path)))
    version = subprocess.run(["fc-query", "-i", "0", "--format", "%{fontversion}", path],
                             check=True, capture_output=True, text=True).stdout
    with open(args.output + ".tmp", "w", encoding="utf-8") as out:
        out.write("/* Made by src/make_text_widths.py from %s (%s, fontversion %s):\n"
                  " * edit that, not this. Each run of characters: first, last, advance in\n"
                  " * thousandths of an em. */\n" % (FAMILY, os.path.basename(path), version))
        out.write("static const struct text_width_run {\n"
                  "    unsigned first, last, advance;\n"
                  "} text_width_runs[%d] = {\n" % len(table))
        for first, last, advance in table:
            out.write("    {0x%04X, 0x%04X, %d},\n" % (first, last, advance))
        out.write("};\n")
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
