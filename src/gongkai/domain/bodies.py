"""Issuing bodies as data: agency short names, government-name rewrites, township forms.

``gongkai.corpus.bodies`` turns a body's name into a canonical form for grouping a body's reports
across years. Everything it needs to know about *names* lives here; everything about
*places* comes from the gazetteer package (never a hand-typed list of places).

Aliases are applied to the agency part of a name (what follows the place names), at its
end, and only where the short form is unambiguous across the country: 科技局 is always
科学技术局, but 文广旅局 is written three different ways in full, so it is left alone.
"""

from __future__ import annotations

import re

# Short agency name -> official full name. Applied as a suffix rewrite of the agency part
# (开福区科技局 -> 开福区科学技术局, 工业信息科技局 -> 工业信息科学技术局), longest first.
AGENCY_ALIASES: dict[str, str] = {
    "科技局": "科学技术局",
    "科技厅": "科学技术厅",
    "科技委": "科学技术委员会",
    "发改委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "工信局": "工业和信息化局",
    "工信厅": "工业和信息化厅",
    "工信委": "工业和信息化委员会",
    "经信局": "经济和信息化局",
    "经信委": "经济和信息化委员会",
    "经信厅": "经济和信息化厅",
    "人社局": "人力资源和社会保障局",
    "人社厅": "人力资源和社会保障厅",
    "住建局": "住房和城乡建设局",
    "住建厅": "住房和城乡建设厅",
    "住建委": "住房和城乡建设委员会",
    "自规局": "自然资源和规划局",
    "环保局": "环境保护局",
    "环保厅": "环境保护厅",
    "生态局": "生态环境局",
    "交通局": "交通运输局",
    "交通厅": "交通运输厅",
    "交通委": "交通运输委员会",
    "农委": "农业委员会",
    "农业局": "农业农村局",
    "文旅局": "文化和旅游局",
    "文旅厅": "文化和旅游厅",
    "卫健委": "卫生健康委员会",
    "卫健局": "卫生健康局",
    "卫计委": "卫生和计划生育委员会",
    "卫计局": "卫生和计划生育局",
    "应急局": "应急管理局",
    "应急厅": "应急管理厅",
    "市场监管局": "市场监督管理局",
    "市监局": "市场监督管理局",
    "医保局": "医疗保障局",
    "退役军人局": "退役军人事务局",
    "教体局": "教育和体育局",
    "城管局": "城市管理局",
    "国资委": "国有资产监督管理委员会",
    "民宗局": "民族宗教事务局",
    "民宗委": "民族宗教事务委员会",
    "侨办": "侨务办公室",
    "外办": "外事办公室",
    "金融办": "金融工作办公室",
    "政务办": "政务服务管理办公室",
    "审批局": "行政审批局",
    "人防办": "人民防空办公室",
    "机关事务局": "机关事务管理局",
    "编办": "机构编制委员会办公室",
    "台办": "台湾事务办公室",
    "网信办": "互联网信息办公室",
    "管委会": "管理委员会",
    "残联": "残疾人联合会",
    "科协": "科学技术协会",
    "妇联": "妇女联合会",
}

# Government and general-office forms. Applied in order to the agency part before the
# agency aliases; each is a regex (pattern, replacement) anchored at the end of the name,
# with look-behinds so an already full form is left alone (人民政府 must not become
# 人民人民政府).
GOVERNMENT_REWRITES: tuple[tuple[str, str], ...] = (
    (r"(?<!人民)政府办公厅$", "人民政府办公厅"),
    (r"(?<!人民)政府办公室$", "人民政府办公室"),
    (r"(?<!人民)政府办$", "人民政府办公室"),
    (r"^府办$", "人民政府办公室"),  # 县府办, 市府办 once the level character is split off
    (r"(?<!人民)政府$", "人民政府"),
    (r"人民政府办$", "人民政府办公室"),
)

# Agency parts that make a body of each type (the rest is decided by
# gongkai.domain.text.BODY_SUFFIXES: 局/委员会/办公室... are departments).
GOVERNMENT_AGENCIES: frozenset[str] = frozenset({"人民政府"})
GENERAL_OFFICE_AGENCIES: frozenset[str] = frozenset({"人民政府办公室", "人民政府办公厅"})
# Endings the shared suffix table lacks: national ministries and a few agency forms.
EXTRA_BODY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("总局", "department"),
    ("部", "department"),
    ("联合会", "department"),
    ("协会", "department"),
    ("总工会", "department"),
)

# A township or sub-district and what follows its name when the township itself issues the
# report. The short forms on the left become the full form on the right.
TOWNSHIP_UNITS: tuple[str, ...] = ("街道", "镇", "乡", "苏木")
TOWNSHIP_SUFFIXES: dict[str, str] = {
    "人民政府": "人民政府",
    "政府": "人民政府",
    "街道办事处": "办事处",
    "办事处": "办事处",
    "街道办": "办事处",
    "办": "办事处",
    "": "",
}
# The suffix a bare township name gets so 城关镇 and 城关镇人民政府 group together.
TOWNSHIP_DEFAULT_SUFFIX: dict[str, str] = {"街道": "办事处", "镇": "人民政府", "乡": "人民政府", "苏木": "人民政府"}

# A body named without its place (区科技局, 市政府办) starts with the level it belongs to.
# Which gazetteer names can fill that level: by the last character of the place's name.
LEVEL_CHARS: dict[str, tuple[int, tuple[str, ...]]] = {
    # level char -> (gazetteer levels it may stand for, endings of the place name)
    "省": (1, ("省",)),
    "市": (0, ("市",)),  # 0: any level (直辖市, 地级市 or 县级市)
    "区": (3, ("区",)),
    "县": (3, ("县",)),
    "旗": (3, ("旗",)),
    "州": (2, ("州",)),
    "盟": (2, ("盟",)),
}
# Words that start with a level character but are not "level + agency" (市场监督管理局 is
# not 市 + 场监督管理局).
NOT_LEVEL_WORDS: tuple[str, ...] = (
    "市场", "市政", "市容", "市民", "市级", "市区", "区域", "区划", "县域", "县级", "省级", "州级",
    "乡村", "镇村",
)

# The 55 minority nationalities and 汉族: stripped from autonomous-area names to get the
# short name people write (长阳土家族自治县 -> 长阳, 黔南布依族苗族自治州 -> 黔南).
ETHNIC_GROUPS: tuple[str, ...] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)

# Place-name endings dropped to make a short name (淮安市 -> 淮安, 洪泽区 -> 洪泽). Longest
# first; a short name keeps at least two characters (城区 has no short name).
PLACE_ENDINGS: tuple[str, ...] = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
    "林区", "特区", "地区", "新区", "矿区", "省", "市", "区", "县", "旗", "盟", "州",
)

# Characters removed before anything else: spacing, punctuation, quotes and brackets that
# reports and mirrors put into names.
NAME_NOISE = re.compile(r"[\s\u3000·•・、，。,.:：;；\"'“”‘’《》<>〈〉「」『』【】\-—–_/\\|]+")
# Parenthesised notes after a name: （市政务公开办）, (本级).
NAME_NOTE = re.compile(r"[（(][^（()）]*[)）]")
# A note after a title's body that says the report is of the body's own organs, not of its
# system (海关总署（本级机关）2020年…报告): the body is the name before it.
SCOPE_NOTE = re.compile(r"[（(](?:本级机关|机关本级|本级|本机关)[)）]$")

# ---------------------------------------------------------------- what a name is not
# The organisation-name test of ``gongkai.extract.publisher``: a candidate for a report's
# issuing body ends in a body suffix (``gongkai.domain.text.BODY_SUFFIXES`` and the extra
# endings below), and is none of the following.

# Endings for a body's own name beyond the shared suffix table: a township or sub-district
# names its government by its bare name in a title (某某镇2023年…), ministries end in 部.
ORG_EXTRA_ENDINGS: tuple[str, ...] = ("镇", "乡", "街道", "苏木", "部", "总局", "总署", "联合会", "协会", "总工会")
# A channel, not a body: a site or account a report is published on (局网站, 门户网站).
CHANNEL_ENDINGS: tuple[str, ...] = (
    "网站", "网页", "门户", "网", "公众号", "微信", "微博", "客户端", "平台", "专栏", "栏目", "专区", "热线", "信箱",
    "公开栏", "电子屏", "显示屏", "公告栏", "政务新媒体", "新媒体", "APP", "App", "app",
)
# Words a sentence has and a name never does: a name that holds one is a fragment of prose
# (切实落实国务院, 请联系某某区生态环境局, 形式上依托政府门户网站, 通过政府网站).
FRAGMENT_WORDS: tuple[str, ...] = (
    "请", "联系", "通过", "依托", "按照", "根据", "依据", "落实", "贯彻", "切实", "要求", "形式", "进一步", "加强",
    "推进", "做好", "认真", "积极", "及时", "召开", "成立", "负责", "开展", "简称", "下称", "报送", "上报", "转发",
    "印发", "参照", "对照", "配合", "部署", "上级", "本网", "本站", "本机关", "我局", "我委", "我办", "我厅",
)
# Words of the report's own subject matter: a name found outside the title that holds one
# is a phrase about the work (信息公开工作领导小组, 年度报告), not the body. A title may hold
# them (某某市政务公开办公室2023年…): there they are not tested.
PROSE_WORDS: tuple[str, ...] = (
    "公开", "申请", "年度", "报告", "发布", "工作", "领导", "小组", "制度", "规定", "意见", "通知", "办法", "条例",
    "电话", "地址", "邮编", "传真", "主动",
)
# Two-character words ending like a town that name none (a title's 螅镇 is a town; 乡镇 is not).
NOT_TOWN_WORDS: frozenset[str] = frozenset({"乡镇", "城镇", "村镇", "集镇", "城乡", "市镇", "县乡", "下乡", "家乡", "故乡"})
# Characters a name does not start with unless a place name starts there (于都县, 本溪市,
# 和平区, 向阳区, 如皋市, 全椒县 are places): a preposition or pronoun that opens a phrase.
FRAGMENT_LEADS: str = "在由向对经把被从于将及与和或并即其该本各全我你贵请凡如若为以"
# Bodies a report cites as its superiors or as the source of its rules: never the issuer
# unless its own title says so (按照省政府要求, 国务院办公厅印发).
CITED_SUPERIORS: frozenset[str] = frozenset(
    {
        "国务院", "国务院办公厅", "中共中央", "党中央", "中央", "中共中央办公厅", "全国人大", "全国人大常委会",
        "上级部门", "上级机关", "上级单位", "主管部门", "省政府", "省人民政府", "省政府办公厅", "省人民政府办公厅",
        "市政府", "市人民政府", "市政府办公室", "市人民政府办公室", "市政府办公厅", "区政府", "区人民政府",
        "县政府", "县人民政府", "省委", "市委", "区委", "县委", "政府", "人民政府", "国家",
    }
)
# Words just before a body's name that cite it rather than speak as it (按照淮安市人民政府要求,
# 根据《某某局…》): such a mention says nothing about who wrote the report.
CITING_WORDS: tuple[str, ...] = (
    "按照", "根据", "依据", "落实", "贯彻", "上级", "报送", "报请", "配合", "协助", "指导", "转发", "印发", "遵照", "对照",
)
# How a national body's name starts (it has no place): 国家统计局, 中国气象局, 国务院国资委.
NATIONAL_PREFIXES: tuple[str, ...] = ("中华人民共和国", "国家", "中国", "国务院", "最高人民", "中央", "全国", "海关总署")
# What follows the body's name when a report's own intro opens with it as the subject
# (2023年，山东省人民政府办公厅以习近平新时代…为指导, 某某局认真贯彻…, 某某镇在县委…领导下): the
# first words of the sentence's predicate. A name is read there only as the first words of
# the intro's first sentence, never after a citing word (按照国务院办公厅要求…).
INTRO_PREDICATES: tuple[str, ...] = (
    "以", "在", "认真", "深入", "坚持", "紧紧", "紧扣", "紧密", "全面", "始终", "严格", "持续", "积极", "扎实",
    "不断", "高度", "围绕", "立足", "聚焦", "牢固", "大力", "着力", "进一步", "按照", "根据", "依据", "严格按照",
    "坚决", "切实", "继续", "全力", "主动", "贯彻", "深化",
)
# Words that publish the report under its own title, just before a 《》 that quotes it
# (现将《某某区2023年政府信息公开工作年度报告》予以公布): the title in 《》 is the report's own.
PUBLISHING_WORDS: tuple[str, ...] = (
    "现将", "现发布", "现公布", "现予公布", "现予以公布", "现向社会公布", "特向社会公布", "现公开", "特此公布", "向社会公布",
)
