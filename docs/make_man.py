#!/usr/bin/env python3
"""make_man.py CLI.md VERSION > kgraph.1: the manual page kgraph(1) made
from docs/cli.md, so the two never disagree.

The page is the document as written: its title becomes NAME, its sections
.SH and subsections .SS, code blocks .nf/.fi, lists .IP, tables tab
-separated lines, **bold** and `code` bold, *emphasis* italic, links their
text (a link within the document or to another file means nothing in a
terminal). The Contents list is left out: man has its own navigation.
Only the Markdown docs/cli.md uses is understood; anything else passes
through as text.
"""
import re
import sys


def escape(text):
    """Text safe in roff: backslashes doubled, a leading . or ' guarded."""
    text = text.replace("\\", "\\e").replace("-", "\\-")  # \- : a minus, copied as typed
    return re.sub(r"^([.'])", r"\\&\1", text)


def inline(text):
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: their text
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\\fI\1\\fR", text)
    return text


def convert(lines, version):
    out = ['.TH KGRAPH 1 "" "kgraph %s" "User Commands"' % version,
           ".SH NAME",
           "kgraph \\- Chinese news in, knowledge graph out: entities and their co-occurrences",
           ".SH DESCRIPTION"]
    para = []  # the lines of the paragraph or list item being read

    def flush():
        # inline markup may span the lines of a paragraph: convert it whole
        if para:
            out.append(inline(" ".join(para)))
            del para[:]

    in_code = skip = False
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("```"):
            flush()
            in_code = not in_code
            out.append(".nf" if in_code else ".fi")
            continue
        if in_code:
            out.append(escape(line))
            continue
        heading = re.match(r"(#{1,4}) (.*)", line)
        if heading:
            flush()
            skip = heading.group(2) == "Contents"
            level = len(heading.group(1))
            if level == 2 and not skip:
                out.append('.SH "%s"' % inline(heading.group(2)).upper())
            elif level > 2:
                out.append('.SS "%s"' % inline(heading.group(2)))
            continue  # the title (level 1): NAME says it
        if skip:
            continue
        if not line.strip():
            flush()
            if out[-1] != ".PP" and not out[-1].startswith((".SH", ".SS")):
                out.append(".PP")
            continue
        if re.match(r"\|[\s:-]+\|", line):  # a table's rule line
            continue
        if line.startswith("|"):
            flush()
            cells = [inline(c.strip()) for c in line.strip().strip("|").split("|")]
            out.extend([".br", "\t".join(cells)])
            continue
        item = re.match(r"\s*(- |\d+\. )(.*)", line)
        if item:
            flush()
            out.append('.IP "%s" 4' % ("\\(bu" if item.group(1) == "- " else item.group(1).strip()))
            para.append(item.group(2))
            continue
        para.append(line.strip())
    flush()
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_man.py CLI.md VERSION")
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(convert(f, sys.argv[2]))


if __name__ == "__main__":
    main()
