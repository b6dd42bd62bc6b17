#!/usr/bin/python3
"""Generate rules/places.tsv, kgraph's built-in place gazetteer.

Usage:
    python3 rules/make_places.py [DIVISIONS_DIR] [-o FILE]

DIVISIONS_DIR holds provinces.csv, cities.csv, areas.csv and HK-MO-TW.json
(modood/Administrative-divisions-of-China); it defaults to
../shared/data/divisions relative to the project root.  The gazetteer goes to
stdout (or FILE); a summary and every dropped alias go to stderr.

Output lines (UTF-8, tab-separated, sorted by division code):
    place  CANONICAL  CANONICAL|ALIAS|...  level=...;code=...;province=...;city=...
An alias claimed by several divisions goes to the higher level (province >
city > county > zone) or, between equals, to nobody.  Divisions sharing one
full name become a single line with ambiguous=N instead of province/city.

Standard library only; the output depends on nothing but the input files.
"""

import argparse
import csv
import json
import os
import re
import sys
from collections import defaultdict

LEVELS = ("province", "city", "county", "zone")
RANK = {level: i for i, level in enumerate(LEVELS)}  # lower rank wins a shared alias

# GB/T 2260 codes of the three provinces that the statistics bureau data lacks;
# their sub-units have no official code, so they get none in the output.
HK_MO_TW_CODES = {"台湾省": "71", "香港特别行政区": "81", "澳门特别行政区": "82"}

# cities.csv rows that only group counties (the 市辖区 of a municipality, the
# counties a province administers directly); they are not places.
PLACEHOLDER_CITIES = {"市辖区", "县"}
PLACEHOLDER_CITY_SUFFIX = "直辖县级行政区划"

# The 56 recognised ethnic groups, used to strip 朝鲜族 etc. from the names of
# autonomous divisions.  Names may carry 族 or not (伊犁哈萨克自治州).
ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 "
    "傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 "
    "毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# Without 族 only multi-character names are stripped: a bare 回/白/水 at the
# end of a place name is far more likely part of the place itself.  各族
# ("all peoples") closes 龙胜各族自治县.
ETHNIC_SUFFIXES = sorted(
    [g + "族" for g in ETHNIC_GROUPS] + [g for g in ETHNIC_GROUPS if len(g) > 1] + ["各族"],
    key=len, reverse=True)

# Suffixes removed to get the short form people write, tried in this order.
PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
# 矿区/新区/特区 are part of the type, not the name (峰峰矿区 -> 峰峰,
# 浦东新区 -> 浦东); 清新区 (清新 + 区) loses out, but 清新 is an ordinary
# word anyway.  林区 is not listed: 万柏林区, 碑林区 are X林 + 区.
COUNTY_SUFFIXES = ("自治县", "自治旗", "矿区", "新区", "特区", "区", "县", "市", "旗")

# County-level names that follow no suffix rule.
SPECIAL_SHORT_FORMS = {
    "神农架林区": ["神农架"],          # the only forestry district
    "中沙群岛的岛礁及其海域": ["中沙群岛"],
    "大柴旦行政委员会": ["大柴旦"],
}

# Short forms that are never emitted because on their own they would fire
# wrongly in running text.  The full names (惠民县, 城关区, ...) stay.
NOT_SHORT_FORMS = {
    # ordinary words (the lead's list first)
    "惠民", "振兴", "资源", "友谊", "大关", "兴国", "新华", "和平", "长安", "永和",
    "平安", "安定", "清河", "新城", "开发", "高新", "东风", "新和",
    "东方", "太平", "光明", "新兴", "新民", "万全", "兴隆", "大城", "大厂", "解放",
    "前进", "向阳", "工农", "安康", "大兴", "大名", "小店", "平定", "长子", "和顺",
    "盐湖", "交口", "回民", "临河", "站前", "元宝", "宏伟", "灯塔", "盘山", "二道",
    "丰满", "磐石", "平房", "双城", "方正", "木兰", "延寿", "建华", "泰来", "富裕",
    "鸡冠", "龙凤", "友好", "爱民", "海伦", "钟楼", "大丰", "江山", "开化", "定海",
    "路桥", "天台", "临海", "无为", "大观", "天长", "马尾", "湖里", "三元", "清流",
    "云霄", "平和", "光泽", "连城", "新建", "莲花", "铜鼓", "樟树", "万年", "天桥",
    "高密", "上街", "老城", "博爱", "台前", "卧龙", "民权", "商城", "公安", "芙蓉",
    "荷塘", "洞口", "中方", "会同", "通道", "凤凰", "高明", "阳春", "七星", "港口",
    "乐业", "凌云", "大新", "海棠", "天涯", "南岸", "长寿", "石柱", "金牛", "朝天",
    "安居", "大英", "南部", "前锋", "石棉", "黑水", "白玉", "大方", "富民", "威信",
    "古城", "麒麟", "比如", "尼玛", "武功", "白水", "宝塔", "延长", "甘泉", "民乐",
    "高台", "康乐", "合作", "互助", "同仁", "共和", "同德", "惠农", "同心", "温泉",
    "新星", "白杨", "名山", "白云", "青山", "平原", "二七", "清水河",
    # ... among the HK/MO/TW districts
    "仁爱", "信义", "中正", "中和", "三重", "新店", "树林", "淡水", "深坑", "万里",
    "八德", "杨梅", "观音", "新屋", "复兴", "清水", "大肚", "仁德", "盐水", "七股",
    "六甲", "将军", "北门", "大社", "大树", "内湖", "安乐", "中西", "大堂", "离岛",
    "板桥", "大雅", "三民", "小港", "林园", "桥头", "湖内", "弥陀", "杉林", "茂林",
    "太保", "新市",
    # generic district names: town centre, suburbs, mines, a part of town by
    # compass point or landmark (城关区 -> 城关 is the old town of countless
    # counties, 滨江 any riverside)
    "城区", "郊区", "市中", "东区", "西区", "南区", "北区", "中区", "城关", "城中",
    "城东", "城西", "城北", "河东", "河西", "江北", "桥东", "桥西", "铁东",
    "铁西", "路南", "路北", "市南", "市北", "西市", "北关", "南关", "东河", "东湖",
    "南湖", "北湖", "西山", "滨湖", "滨江", "湖滨", "江岸", "江口", "湖口", "临江",
    "城厢", "双桥", "双塔", "白塔", "花山", "尖山", "马村", "江海", "沿河", "西港",
    "新庄", "土城", "双溪", "运河", "海港", "白沙",
    # better known as a region, sea, mountain, company, brand or person
    "江南", "中原", "泰山", "三峡", "东海", "南海", "太湖", "天山", "长白", "恒山",
    "香山", "黑山", "龙江", "山城", "龙城", "吉隆", "阿里", "红旗", "万华",
    "紫金", "兴业", "红塔", "龙湖", "三江", "金沙", "马龙", "和硕", "安南", "西贡",
    "东坡", "阳明", "龙门", "弥勒", "太白", "龙井", "白银", "来宾",
}

# Zone suffixes and the abbreviations people write for them: a zone named
# X + suffix is also written X + each abbreviation.
ZONE_KINDS = (
    ("高新技术产业开发区", ("高新区", "高新技术开发区")),
    ("高技术产业开发区", ("高新区",)),
    ("高新技术开发区", ("高新区",)),
    ("高新技术产业园区", ("高新区",)),
    ("经济技术开发区", ("经开区", "经济开发区", "开发区")),
    ("经济开发区", ("经开区", "开发区")),
    ("经济综合实验区", ()),
    ("工业园区", ()),
    ("产业园区", ()),
    ("开发区", ()),
    ("示范区", ()),
    ("管理区", ()),
    ("聚集区", ()),
    ("新区", ()),
    ("新城", ()),
    ("园区", ()),
)
# Part of a zone name between the city and the zone kind that is too generic to
# stand without the city (潍坊滨海经济技术开发区 is not "the" 滨海经济技术开发区).
GENERIC_ZONE_MIDDLES = {"滨海", "滨湖", "海港", "临港", "汽车", "火炬", "循环化工", "城乡一体化"}
# Administrative suffix on one zone's data name (乌拉盖管理区管委会).
ZONE_ADMIN_SUFFIX = "管委会"


class DataError(Exception):
    """A malformed input row; the message names the file and line."""


class Division:
    def __init__(self, key, code, name, level, province=None, city=None):
        self.key = key            # sort key: the code, or a stand-in for HK/MO/TW
        self.code = code          # None where the data has no code
        self.name = name
        self.level = level
        self.province = province  # canonical names of the parents, if any
        self.city = city
        self.aliases = []         # candidate surfaces other than the name


def read_csv(path, header, parent_cols):
    """Rows of one divisions CSV as (line, code, name, parent codes...).

    Checks the header, the column count, that codes are digits of the length
    the level implies, and that each parent code is a prefix of the code.
    """
    code_len = 2 * (len(parent_cols) + 1)
    rows = []
    seen = set()
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            for row in reader:
                where = "%s:%d" % (path, reader.line_num)
                if reader.line_num == 1:
                    if row != header:
                        raise DataError("%s: expected header %s, got %s" % (where, ",".join(header), ",".join(row)))
                    continue
                if len(row) != len(header):
                    raise DataError("%s: expected %d columns, got %d: %r" % (where, len(header), len(row), row))
                code, name, *parents = (field.strip() for field in row)
                if not (code.isdigit() and len(code) == code_len):
                    raise DataError("%s: bad code %r (want %d digits)" % (where, code, code_len))
                if code in seen:
                    raise DataError("%s: duplicate code %s" % (where, code))
                seen.add(code)
                if not name:
                    raise DataError("%s: empty name" % where)
                for col, parent in zip(parent_cols, parents):
                    if not (parent.isdigit() and code.startswith(parent)):
                        raise DataError("%s: %s %r does not match code %s" % (where, col, parent, code))
                rows.append((reader.line_num, code, name, *parents))
        except csv.Error as err:
            raise DataError("%s:%d: %s (the row may start earlier)" % (path, reader.line_num, err)) from None
    return rows


def strip_ethnic(stem):
    """Remove trailing ethnic-group names, keeping at least two characters."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in ETHNIC_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                stem = stem[:-len(suffix)]
                stripped = True
                break
    return stem


def short_form(name, suffixes):
    """The name without its type suffix (and ethnic part), or None."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[:-len(suffix)]
            # autonomous divisions, and districts like 管城回族区
            if suffix.startswith("自治") or stem.endswith("族"):
                stem = strip_ethnic(stem)
            return stem
    return None


def county_short_forms(name):
    if name in SPECIAL_SHORT_FORMS:
        return SPECIAL_SHORT_FORMS[name]
    stem = short_form(name, COUNTY_SUFFIXES)
    if stem is None:
        return []
    ethnic = stem[:-1] if stem.endswith("族") else stem
    if name.startswith(stem + "自治") and ethnic in ETHNIC_GROUPS:
        # 鄂伦春自治旗, 东乡族自治县 are named after their people alone and
        # written 鄂伦春旗, 东乡县
        return [ethnic + name[-1]]
    if name.endswith("旗") and stem[-1] in "左右前中后":
        # 巴林左旗 is 巴林左旗 or 巴左旗, never a bare 巴林左
        return []
    return [stem]


def zone_aliases(name, province_short, city, city_shorts):
    """Abbreviations and variants of a development-zone name (see ZONE_KINDS).

    city is the zone's prefecture Division or None.  city_shorts are all
    prefecture short forms: a zone whose name continues with another city
    (阜阳合肥现代产业园区) is a jointly built park, and dropping its own city
    would make it read as the other city's.
    """
    city_short = city.aliases[0] if city else None
    full = name[:-len(ZONE_ADMIN_SUFFIX)] if name.endswith(ZONE_ADMIN_SUFFIX) else name
    # 河北唐山芦台经济开发区 -> 唐山芦台经济开发区, only when the city follows
    # (吉林经济开发区 is the city of 吉林, not the province)
    if province_short and city_short and full.startswith(province_short + city_short):
        full = full[len(province_short):]
    names = [name, full]
    rest = None
    if city_short and full.startswith(city_short + "市"):
        rest = full[len(city_short) + 1:]
    elif city_short and full.startswith(city_short):
        rest = full[len(city_short):]
    kind = next((k for k, _ in ZONE_KINDS if rest and rest.endswith(k)), "")
    middle = rest[:len(rest) - len(kind)] if rest else ""
    # One character left over means the city name was part of a longer one
    # (东营港经济开发区 is the zone of the port 东营港, not 东营市港...).
    if rest is not None and len(middle) != 1:
        names.append(city_short + rest)
        if city.name == city_short + "市":  # not 阿拉善盟
            names.append(city_short + "市" + rest)
        # 德州天衢新区 is usually just 天衢新区
        if (len(middle) >= 2 and middle not in GENERIC_ZONE_MIDDLES
                and not any(middle.startswith(c) for c in city_shorts)):
            names.append(rest)
    aliases = []
    for n in names:
        aliases.append(n)
        for kind, abbreviations in ZONE_KINDS:
            if n.endswith(kind):
                stem = n[:-len(kind)]
                if len(stem) >= 2:  # never a bare 高新区 / 开发区
                    aliases += [stem + a for a in abbreviations]
                break
    return aliases


def load_divisions(folder):
    """All divisions with their candidate aliases, in no particular order."""
    path = lambda f: os.path.join(folder, f)
    provinces = read_csv(path("provinces.csv"), ["code", "name"], [])
    cities = read_csv(path("cities.csv"), ["code", "name", "provinceCode"], ["provinceCode"])
    areas = read_csv(path("areas.csv"), ["code", "name", "cityCode", "provinceCode"],
                     ["cityCode", "provinceCode"])

    divisions = []
    province_of = {}
    for _, code, name in provinces:
        d = Division(code, code, name, "province")
        d.aliases.append(short_form(name, PROVINCE_SUFFIXES))
        province_of[code] = d
        divisions.append(d)

    city_of = {}
    placeholder_cities = set()
    for line, code, name, pcode in cities:
        if pcode not in province_of:
            raise DataError("%s:%d: unknown provinceCode %s" % (path("cities.csv"), line, pcode))
        if name in PLACEHOLDER_CITIES or name.endswith(PLACEHOLDER_CITY_SUFFIX):
            placeholder_cities.add(code)
            continue
        d = Division(code, code, name, "city", province=province_of[pcode].name)
        d.aliases.append(short_form(name, CITY_SUFFIXES))
        city_of[code] = d
        divisions.append(d)
    city_shorts = {d.aliases[0] for d in city_of.values()}

    for line, code, name, ccode, pcode in areas:
        if ccode not in city_of and ccode not in placeholder_cities:
            raise DataError("%s:%d: unknown cityCode %s" % (path("areas.csv"), line, ccode))
        if pcode not in province_of:
            raise DataError("%s:%d: unknown provinceCode %s" % (path("areas.csv"), line, pcode))
        province = province_of[pcode]
        city = city_of.get(ccode)  # None under a placeholder (北京市's districts)
        if city and name == city.name:
            # Prefectures without counties (东莞市, 嘉峪关市) repeat themselves
            # as their only county-level row; it is the same place.
            continue
        # The statistics code marks zones with a 7 in the fifth digit.
        level = "zone" if code[4] == "7" else "county"
        d = Division(code, code, name, level, province=province.name,
                     city=city.name if city else None)
        if level == "zone":
            d.aliases += zone_aliases(name, province.aliases[0], city, city_shorts)
        else:
            d.aliases += county_short_forms(name)
        divisions.append(d)

    divisions += load_hk_mo_tw(path("HK-MO-TW.json"))
    return divisions


def load_hk_mo_tw(path):
    """HK, Macao and Taiwan: province -> city/area -> district lists."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as err:
        raise DataError("%s:%d: %s" % (path, err.lineno, err.msg)) from None
    divisions = []
    for province, cities in data.items():
        if province not in HK_MO_TW_CODES or not isinstance(cities, dict):
            raise DataError("%s: unexpected province entry %r" % (path, province))
        pcode = HK_MO_TW_CODES[province]
        p = Division(pcode, pcode, province, "province")
        p.aliases.append(short_form(province, PROVINCE_SUFFIXES))
        divisions.append(p)
        for i, (city, districts) in enumerate(cities.items()):
            if not (isinstance(districts, list) and all(isinstance(x, str) and x for x in districts)):
                raise DataError("%s: districts of %s/%s are not a list of names" % (path, province, city))
            # Stand-in sort keys keep the file's order after the province.
            c = Division("%s%02d" % (pcode, i + 1), None, city, "city", province=province)
            c.aliases.append(short_form(city, CITY_SUFFIXES + ("县",)))
            divisions.append(c)
            for j, district in enumerate(districts):
                # 嘉模堂区（氹仔）: the bracket holds the island's own name
                m = re.fullmatch(r"(.+?)（(.+)）", district)
                name, extra = (m.group(1), [m.group(2)]) if m else (district, [])
                # Two-character names (东区, 北区) are too generic to keep, and
                # 新社区 reads as "new community" in any text.
                if len(name) < 3 or name == "新社区":
                    continue
                d = Division("%s%02d%02d" % (pcode, i + 1, j + 1), None, name, "county",
                             province=province, city=city)
                # Taiwanese 乡/镇 are townships; their bare stems (成功, 北斗,
                # 三星, 光复) are mostly ordinary words, so only 区/市 shorten.
                if name[-1] in "区市":
                    d.aliases += [short_form(name, ("区", "市"))]
                d.aliases += extra
                divisions.append(d)
    return divisions


class Entry:
    """One output line: a division, or all divisions sharing one full name."""

    def __init__(self, members):
        self.members = members
        self.name = members[0].name
        self.key = min(m.key for m in members)
        self.level = min((m.level for m in members), key=RANK.get)
        self.aliases = []
        self.candidates = []
        for m in members:
            for a in m.aliases:
                if a and a != self.name and a not in self.candidates:
                    self.candidates.append(a)

    def attrs(self):
        codes = sorted(m.code for m in self.members if m.code)
        parts = ["level=" + self.level]
        if codes:
            parts.append("code=" + ",".join(codes))
        if len(self.members) > 1:
            parts.append("ambiguous=%d" % len(self.members))
        else:
            m = self.members[0]
            if m.province:
                parts.append("province=" + m.province)
            if m.city:
                parts.append("city=" + m.city)
        return ";".join(parts)


def resolve(divisions, log):
    """Merge same-name divisions and give each alias to exactly one entry.

    Returns the entries, the number of aliases dropped as ambiguous and the
    number withheld as ordinary words.
    """
    by_name = defaultdict(list)
    for d in divisions:
        by_name[d.name].append(d)
    entries = [Entry(sorted(ms, key=lambda m: m.key)) for ms in by_name.values()]
    entries.sort(key=lambda e: e.key)
    canonical = {e.name: e for e in entries}

    claims = defaultdict(list)
    withheld = set()
    for e in entries:
        for a in e.candidates:
            if a in NOT_SHORT_FORMS:
                withheld.add(a)
            elif len(a) >= 2:
                claims[a].append(e)

    dropped = 0
    for alias in sorted(claims):
        owners = claims[alias]
        names = ", ".join("%s(%s)" % (o.name, o.level) for o in owners)
        best = min(RANK[o.level] for o in owners)
        winners = [o for o in owners if RANK[o.level] == best]
        if alias in canonical:
            # the full name of another division always stays with it
            reason = "full name of %s, claimed by %s" % (canonical[alias].name, names)
        elif len(winners) > 1:
            reason = "claimed by " + names
        elif len(winners[0].members) > 1:
            # 鼓楼 would be ambiguous between the four 鼓楼区 merged into one line
            reason = "short form of %d divisions named %s" % (len(winners[0].members), winners[0].name)
        else:
            winners[0].aliases.append(alias)
            if len(owners) > 1:
                losers = ", ".join(o.name for o in owners if o is not winners[0])
                log("gave %s to %s over %s" % (alias, winners[0].name, losers))
            continue
        log("dropped %s: %s" % (alias, reason))
        dropped += 1
    # Aliases were resolved alphabetically; list them in generation order.
    for e in entries:
        e.aliases.sort(key=e.candidates.index)
    return entries, dropped, len(withheld)


HEADER = """\
# Generated by rules/make_places.py from China's administrative divisions
# (modood/Administrative-divisions-of-China: provinces.csv, cities.csv,
# areas.csv, HK-MO-TW.json; licence WTFPL, see LICENSE.modood; statistics-bureau division
# codes, data cut-off {cutoff} per its README.modood.md).
# Do not edit by hand: change the script and rerun
#     python3 rules/make_places.py ../shared/data/divisions > rules/places.tsv
# Columns: place, canonical, every surface (canonical first), attributes.
# A county's short forms are weak (~博兴): kgraph keeps them only in a
# document that also names the county, its city or its province.
# city= names a prefecture line; it is absent under municipalities and
# directly administered counties.  A name shared by several divisions is one
# line with ambiguous=N and all their codes (a mention kgraph cannot place),
# followed by one line per division named with its parent (南京市鼓楼区), the
# bare name weak: the one a document names the city or province of.
# HK/MO/TW units below province have no code.
"""


def member_lines(entry, canonical):
    """One line for each division of an ambiguous name (鼓楼区 x4), named
    with its parent (南京市鼓楼区), which is how a text tells them apart.
    The bare name is a weak alias: kgraph gives a bare 鼓楼区 to the one
    division whose city or province the document names, and leaves it
    unresolved (the entry's own line) when it names none or several."""
    lines = []
    for m in entry.members:
        parent = m.city or m.province
        if not parent:
            continue
        prefixes = [parent] + canonical[parent].aliases if parent in canonical else [parent]
        name = parent + m.name
        surfaces = [name] + [p + m.name for p in prefixes[1:]] + \
            ["~" + ("=" if len(m.name) == 2 else "") + m.name]
        attrs = ["level=" + m.level]
        if m.code:
            attrs.append("code=" + m.code)
        if m.province:
            attrs.append("province=" + m.province)
        if m.city:
            attrs.append("city=" + m.city)
        lines.append("place\t%s\t%s\t%s\n" % (name, "|".join(surfaces), ";".join(attrs)))
    return lines


def data_cutoff(folder):
    """The cut-off date the data's README states, e.g. 2023-06-30."""
    try:
        with open(os.path.join(folder, "README.modood.md"), encoding="utf-8") as fh:
            m = re.search(r"截止时间：(\d{4}-\d{2}-\d{2})", fh.read())
    except OSError:
        m = None
    return m.group(1) if m else "not stated"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("divisions", nargs="?",
                    default=os.path.join(root, "..", "shared", "data", "divisions"),
                    help="folder with provinces.csv, cities.csv, areas.csv, HK-MO-TW.json")
    ap.add_argument("-o", "--output", help="write here instead of stdout")
    args = ap.parse_args()

    log = lambda msg: print(msg, file=sys.stderr)
    try:
        divisions = load_divisions(args.divisions)
    except (DataError, OSError) as err:
        log("make_places: %s" % err)
        return 1
    entries, dropped, withheld = resolve(divisions, log)
    canonical = {e.name: e for e in entries}

    lines = [HEADER.format(cutoff=data_cutoff(args.divisions))]
    for e in entries:
        # A county's short form (博兴, 上高) is often an ordinary word or a
        # place far away: weak, a mention only where the text also names
        # the county, its city or its province.
        weak = "~" if e.level == "county" else ""
        # A two-character short form must stand as a word of its own (=):
        # 海口 is no place in 出海口, nor 台中 in 两台中沙….
        surfaces = [e.name] + [weak + ("=" if len(a) == 2 else "") + a for a in e.aliases]
        lines.append("place\t%s\t%s\t%s\n" % (e.name, "|".join(surfaces), e.attrs()))
        if len(e.members) > 1:
            lines.extend(member_lines(e, canonical))
    text = "".join(lines)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))

    counts = {level: 0 for level in LEVELS}
    for e in entries:
        counts[e.level] += 1
    log("make_places: %d lines (%s); %d ambiguous names merged; "
        "%d aliases dropped as ambiguous; %d short forms withheld as ordinary words; "
        "%d aliases in all"
        % (len(entries), ", ".join("%s %d" % (k, v) for k, v in counts.items()),
           sum(len(e.members) > 1 for e in entries), dropped, withheld,
           sum(len(e.aliases) for e in entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
