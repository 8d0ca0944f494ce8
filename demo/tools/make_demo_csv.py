#!/usr/bin/env python3
"""make_demo_csv.py — writes the demo CSV files of gongfu (demo/*.csv) deterministically.

Real figures come only from ../shared/data/published-statistics.md (grade A/B rows; the
source id is stored with each value).  Everything else — township and village names and
codes, their populations, teams, departments, people, the Panzhihua framework template and
its targets — is synthetic and says so in the data (note / description / source columns).

Run from the repository root:  python3 demo/tools/make_demo_csv.py
The CSV files are committed; this script documents how they were made and regenerates them.
"""
import csv
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SYN = "synthetic"


def write(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            assert len(r) == len(header), (name, r)
            w.writerow(["" if v is None else v for v in r])
    print(f"{name}: {len(rows)} rows")


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------
PY = {
    "金": "jin", "石": "shi", "河": "he", "松": "song", "柏": "bai", "桃": "tao", "李": "li",
    "杨": "yang", "马": "ma", "龙": "long", "凤": "feng", "云": "yun", "清": "qing", "新": "xin",
    "大": "da", "小": "xiao", "上": "shang", "下": "xia", "中": "zhong", "东": "dong", "西": "xi",
    "南": "nan", "北": "bei", "红": "hong", "青": "qing", "白": "bai", "黄": "huang", "竹": "zhu",
    "梨": "li", "花": "hua", "田": "tian", "高": "gao", "平": "ping", "安": "an", "民": "min",
    "和": "he", "丰": "feng", "兴": "xing", "裕": "yu", "福": "fu", "康": "kang", "永": "yong",
    "坪": "ping", "湾": "wan", "坝": "ba", "沟": "gou", "岭": "ling", "山": "shan", "林": "lin",
    "冲": "chong", "箐": "qing", "岩": "yan", "塘": "tang", "营": "ying", "坡": "po", "垭": "ya",
    "溪": "xi", "源": "yuan", "庄": "zhuang", "苑": "yuan", "园": "yuan", "城": "cheng",
    "桥": "qiao", "阳": "yang", "街": "jie", "门": "men", "湖": "hu", "枫": "feng", "台": "tai",
    "翠": "cui", "屏": "ping", "望": "wang", "江": "jiang", "矿": "kuang", "岗": "gang",
    "杠": "gang", "锦": "jin", "川": "chuan", "沙": "sha", "柳": "liu", "谷": "gu", "甘": "gan",
    "泉": "quan", "头": "tou", "雾": "wu", "宝": "bao", "光": "guang", "温": "wen",
    "梯": "ti", "杉": "shan", "果": "guo",
}


def pinyin(s):
    out = "".join(PY[ch] for ch in s)
    return out[0].upper() + out[1:]


# county: code, name, name_en, area, population, population note, townships
# township tuples: (name, en-root, kind, urban, n_villages, n_communities)
#   kind: street (街道) | town (镇) | township (乡) | ethnic (民族乡, given as full suffix)
P4 = ("2022年末常住人口, P4 (grade C: aggregator quoting the 2022 攀枝花市统计公报); "
      "no grade A/B county figure exists, used only as the unit's size")
COUNTIES = [
    ("510402", "东区", "Dong District", "urban", 412800, P4, [
        ("金岭街道", "Jinling", "street", 1, 0, 8), ("枫林街道", "Fenglin", "street", 1, 0, 7),
        ("云台街道", "Yuntai", "street", 1, 0, 7), ("河湾街道", "Hewan", "street", 1, 0, 7),
        ("新桥街道", "Xinqiao", "street", 1, 0, 6), ("石坪镇", "Shiping", "town", 0, 7, 0)]),
    ("510403", "西区", "Xi District", "urban", 129400, P4, [
        ("松岗街道", "Songgang", "street", 1, 0, 6), ("清溪街道", "Qingxi", "street", 1, 0, 5),
        ("矿山街道", "Kuangshan", "street", 1, 0, 5), ("翠屏街道", "Cuiping", "street", 1, 0, 5),
        ("望江街道", "Wangjiang", "street", 1, 0, 5), ("青杠镇", "Qinggang", "town", 0, 6, 0)]),
    ("510411", "仁和区", "Renhe District", "rural", 266700, P4, [
        ("和平街道", "Heping", "street", 1, 0, 7), ("南山街道", "Nanshan", "street", 1, 0, 5),
        ("桃源镇", "Taoyuan", "town", 0, 6, 0), ("龙泉镇", "Longquan", "town", 0, 6, 0),
        ("杉林镇", "Shanlin", "town", 0, 5, 0), ("果园镇", "Guoyuan", "town", 0, 6, 0),
        ("白岩镇", "Baiyan", "town", 0, 5, 0), ("松坪乡", "Songping", "township", 0, 5, 0),
        ("竹坝乡", "Zhuba", "township", 0, 5, 0), ("岭南彝族乡", "Lingnan", "ethnic-yi", 0, 5, 0)]),
    ("510421", "米易县", "Miyi County", "rural", 227700, P4, [
        ("锦川镇", "Jinchuan", "town", 1, 2, 9), ("沙坝镇", "Shaba", "town", 0, 5, 0),
        ("柳湾镇", "Liuwan", "town", 0, 4, 0), ("丰谷镇", "Fenggu", "town", 0, 5, 0),
        ("高坪镇", "Gaoping", "town", 0, 5, 0), ("青松镇", "Qingsong", "town", 0, 5, 0),
        ("甘泉镇", "Ganquan", "town", 0, 5, 0), ("云岭彝族乡", "Yunling", "ethnic-yi", 0, 4, 0),
        ("梨坪傈僳族乡", "Liping", "ethnic-lisu", 0, 4, 0), ("石门彝族乡", "Shimen", "ethnic-yi", 0, 4, 0),
        ("坡头乡", "Potou", "township", 0, 4, 0)]),
    ("510422", "盐边县", "Yanbian County", "rural", 179400, P4, [
        ("新城镇", "Xincheng", "town", 1, 2, 8), ("湖光镇", "Huguang", "town", 0, 4, 0),
        ("松林镇", "Songlin", "town", 0, 4, 0), ("温河镇", "Wenhe", "town", 0, 5, 0),
        ("梯田镇", "Titian", "town", 0, 5, 0), ("金坪镇", "Jinping", "town", 0, 5, 0),
        ("宝山乡", "Baoshan", "township", 0, 4, 0), ("高山彝族乡", "Gaoshan", "ethnic-yi", 0, 4, 0),
        ("岩溪乡", "Yanxi", "township", 0, 4, 0), ("云雾乡", "Yunwu", "township", 0, 4, 0)]),
]
# Share of each county's residents living in urban communities (synthetic, set near the
# urbanisation rates quoted in published-statistics.md: 东区 99.0 % and 西区 95.30 % (P11/P13,
# grade C), 仁和区 58.6 % and 米易县 44.0 % (7th census via P14/P16, grade C); 盐边县 assumed),
# so that the city's urban share (≈71 %) is close to the published 70.78 % (P3, 2023).
URBAN_SHARE = {"510402": 0.97, "510403": 0.93, "510411": 0.58, "510421": 0.44, "510422": 0.50}
CITY_POP = 1218000  # 2023 常住人口 121.8万, P3 攀枝花市情简介(2024), grade A
KIND_EN = {"street": "Subdistrict", "town": "Town", "township": "Township",
           "ethnic-yi": "Yi Ethnic Township", "ethnic-lisu": "Lisu Ethnic Township"}

FIRST = list("金石河松柏桃李杨马龙凤云清新上下中东西南北红青白黄竹梨花高平安民和丰兴裕福康永")
VSUF = list("坪湾坝沟岭山林冲箐岩塘营坡垭溪源庄")
CSUF = list("苑园城桥阳街门湖")


def split(total, weights):
    """Integer split of total proportional to weights (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    ints = [int(x) for x in raw]
    rem = total - sum(ints)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - ints[i], reverse=True)
    for i in order[:rem]:
        ints[i] += 1
    return ints


def make_units():
    rng = random.Random(510400)
    used = set()

    def vname(community):
        while True:
            a = rng.choice(FIRST)
            b = rng.choice(CSUF if community else VSUF)
            if a == b or a + b in used:
                continue
            used.add(a + b)
            return (a + b + ("社区" if community else "村"),
                    pinyin(a + b) + (" Community" if community else " Village"))

    rows = [("510400", "攀枝花市", "Panzhihua City", "", "city", "urban", CITY_POP,
             "real: code GB/T 2260; population 2023 常住人口 121.8万, P3 攀枝花市情简介(2024), grade A")]
    for ccode, cname, cen, carea, cpop, cnote, towns in COUNTIES:
        rows.append((ccode, cname, cen, "510400", "county", carea, cpop,
                     "real: code and name GB/T 2260; population " + cnote))
        # villages first: urban communities share the county's urban population, rural
        # villages the rest; a township's population is the sum of its villages
        comm, vill = [], []
        for ti, (tname, ten, kind, urban, nv, nc) in enumerate(towns, 1):
            comm += [(ti, j) for j in range(1, nc + 1)]
            vill += [(ti, nc + j) for j in range(1, nv + 1)]
        upop = round(cpop * URBAN_SHARE[ccode])
        vpop = {}
        for group, total in ((comm, upop), (vill, cpop - upop)):
            for key, p in zip(group, split(total, [rng.uniform(0.55, 1.45) for _ in group])):
                vpop[key] = p
        for ti, (tname, ten, kind, urban, nv, nc) in enumerate(towns, 1):
            tcode = f"{ccode}{ti:03d}"
            tpop = sum(vpop[(ti, j)] for j in range(1, nc + nv + 1))
            rows.append((tcode, tname, f"{ten} {KIND_EN[kind]}", ccode, "township",
                         "urban" if urban else "rural", tpop,
                         "synthetic: name, code and population are synthetic (not the real township list)"))
            for vi in range(1, nc + nv + 1):
                community = vi <= nc
                zh, en = vname(community)
                rows.append((f"{tcode}{vi:03d}", zh, en, tcode, "village",
                             "urban" if community else "rural", vpop[(ti, vi)], SYN))
    write("units.csv", ["code", "name", "name_en", "parent", "level", "area", "population", "note"],
          rows)
    return rows


# ---------------------------------------------------------------------------------------------
# Organisation: teams, departments, people
# ---------------------------------------------------------------------------------------------
TEMPLATE_NOTE = "editable template (可编辑模板); synthetic composition, not an official list"
TEAMS = [
    ("T00", "共同富裕试验区建设领导小组", "Leading group for the common-prosperity pilot zone", "leading"),
    ("T01", "改革探索示范工作专班", "Work team: reform exploration", "work"),
    ("T02", "“四化同步”高质量发展示范工作专班", "Work team: 'four modernisations in step' high-quality development", "work"),
    ("T03", "区域协调发展示范工作专班", "Work team: regional coordination", "work"),
    ("T04", "农民农村共同富裕示范工作专班", "Work team: farmers' and rural common prosperity", "work"),
    ("T05", "收入分配制度改革示范工作专班", "Work team: income distribution reform", "work"),
    ("T06", "优质共享基本公共服务示范工作专班", "Work team: quality shared basic public services", "work"),
    ("T07", "精神生活共同富裕示范工作专班", "Work team: spiritual richness", "work"),
    ("T08", "社会治理高效能示范工作专班", "Work team: efficient social governance", "work"),
    ("T09", "综合协调保障专班", "Support team: coordination", "support"),
    ("T10", "宣传引导保障专班", "Support team: publicity", "support"),
    ("T11", "督查考核保障专班", "Support team: supervision and assessment", "support"),
]

DEPTS = [
    # code, name, name_en, team
    ("D01", "市社会建设事务中心(共富办)", "Social Development Affairs Centre (pilot-zone office)", "T09"),
    ("D02", "市委办公室", "Municipal Party Committee General Office", "T09"),
    ("D03", "市政府办公室", "Municipal Government General Office", "T09"),
    ("D04", "市委改革办", "Reform Office", "T01"),
    ("D05", "市发展和改革委员会", "Development and Reform Commission", "T01"),
    ("D06", "市经济和信息化局", "Economy and Information Technology Bureau", "T02"),
    ("D07", "市科学技术局", "Science and Technology Bureau", "T02"),
    ("D08", "市商务局", "Commerce Bureau", "T02"),
    ("D09", "市投资促进局", "Investment Promotion Bureau", "T02"),
    ("D10", "市自然资源和规划局", "Natural Resources and Planning Bureau", "T03"),
    ("D11", "市住房和城乡建设局", "Housing and Urban-Rural Development Bureau", "T03"),
    ("D12", "市交通运输局", "Transport Bureau", "T03"),
    ("D13", "市生态环境局", "Ecology and Environment Bureau", "T03"),
    ("D14", "市水利局", "Water Resources Bureau", "T04"),
    ("D15", "市农业农村局", "Agriculture and Rural Affairs Bureau", "T04"),
    ("D16", "市乡村振兴局", "Rural Revitalisation Bureau", "T04"),
    ("D17", "市林业和草原局", "Forestry and Grassland Bureau", "T04"),
    ("D18", "市供销合作社", "Supply and Marketing Cooperative", "T04"),
    ("D19", "市财政局", "Finance Bureau", "T05"),
    ("D20", "市人力资源和社会保障局", "Human Resources and Social Security Bureau", "T05"),
    ("D21", "市统计局", "Statistics Bureau", "T05"),
    ("D22", "市税务局", "Taxation Bureau", "T05"),
    ("D23", "市国有资产监督管理委员会", "State-owned Assets Supervision Commission", "T05"),
    ("D24", "市教育和体育局", "Education and Sports Bureau", "T06"),
    ("D25", "市卫生健康委员会", "Health Commission", "T06"),
    ("D26", "市民政局", "Civil Affairs Bureau", "T06"),
    ("D27", "市医疗保障局", "Healthcare Security Bureau", "T06"),
    ("D28", "市住房公积金管理中心", "Housing Provident Fund Centre", "T06"),
    ("D29", "市残疾人联合会", "Disabled Persons' Federation", "T06"),
    ("D30", "市委宣传部", "Publicity Department", "T07"),
    ("D31", "市文化广播电视和旅游局", "Culture, Radio, Television and Tourism Bureau", "T07"),
    ("D32", "市精神文明建设办公室", "Spiritual Civilisation Office", "T07"),
    ("D33", "市总工会", "Federation of Trade Unions", "T07"),
    ("D34", "市委政法委员会", "Political and Legal Affairs Commission", "T08"),
    ("D35", "市公安局", "Public Security Bureau", "T08"),
    ("D36", "市司法局", "Justice Bureau", "T08"),
    ("D37", "市信访局", "Letters and Visits Bureau", "T08"),
    ("D38", "市应急管理局", "Emergency Management Bureau", "T08"),
    ("D39", "市委组织部", "Organisation Department", "T11"),
    ("D40", "市委目标绩效管理办公室", "Target and Performance Management Office", "T11"),
    ("D41", "市审计局", "Audit Bureau", "T11"),
    ("D42", "市融媒体中心", "Media Centre", "T10"),
    ("D43", "市大数据中心", "Big Data Centre", "T09"),
    ("D44", "市市场监督管理局", "Market Regulation Bureau", "T01"),
    ("D45", "市妇女联合会", "Women's Federation", "T07"),
]

SURNAMES = list("张王李赵陈刘杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢")
STEMS = list("甲乙丙丁戊己庚辛壬癸")
NUMS = list("一二三四五六七八九")


def make_org(units):
    write("teams.csv", ["code", "name", "name_en", "kind", "note"],
          [(c, n, en, k, TEMPLATE_NOTE) for c, n, en, k in TEAMS])
    write("departments.csv", ["code", "name", "name_en", "team", "unit"],
          [(c, n, en, t, "510400") for c, n, en, t in DEPTS])
    people = []
    k = [0]

    def person(dept, team, unit, title):
        i = k[0]
        k[0] += 1
        name = SURNAMES[i % len(SURNAMES)] + STEMS[(i // len(SURNAMES)) % 10] + NUMS[i % 9]
        people.append((f"P{i + 1:04d}", name, dept, team, unit, title, f"138{i + 1:08d}"))

    person("", "T00", "510400", "领导小组组长(示例)")
    person("", "T00", "510400", "领导小组副组长(示例)")
    person("D01", "T00", "510400", "领导小组办公室主任(示例)")
    for c, _, _, kind in TEAMS[1:]:
        person("", c, "510400", "专班牵头领导(示例)")
        person("", c, "510400", "专班联络员(示例)")
    for c, _, _, t in DEPTS:
        person(c, t, "510400", "部门主要负责人(示例)")
        person(c, t, "510400", "具体责任人(示例)")
        person(c, t, "510400", "科员(示例)")
    for u in units:
        if u[4] == "county":
            person("", "", u[0], "县区共富办主任(示例)")
            person("", "", u[0], "县区统计员(示例)")
        elif u[4] == "township":
            person("", "", u[0], "乡镇(街道)共富专干(示例)")
            person("", "", u[0], "帮扶责任人(示例)")
    write("people.csv", ["code", "name", "department", "team", "unit", "title", "phone"], people)
    return people


# ---------------------------------------------------------------------------------------------
# Indicators (one master list: the same code has the same metadata in every framework)
# ---------------------------------------------------------------------------------------------
ZJ_PLAN = "浙江高质量发展建设共同富裕示范区实施方案(2021—2025年), 2021-07 (DESIGN §5)"
NBS2013 = "国家统计局全面建成小康社会统计监测指标体系(2013) (DESIGN §5)"
SURVEY = "统计部门城乡一体化住户调查"
IND = {}


def ind(code, name, name_en, uom, direction, agg_time, agg_units, team, source, desc,
        formula="", band=(None, None)):
    IND[code] = dict(code=code, name=name, name_en=name_en, uom=uom, direction=direction,
                     band_lo=band[0], band_hi=band[1], agg_time=agg_time, agg_units=agg_units,
                     formula=formula, source=source, team=team, desc=desc)


# D1 reform
ind("reform_tasks_done", "重点改革任务完成率", "Key reform tasks completed", "%", "+", "last", "none", "T01",
    "市委改革办 台账", "年度重点改革任务按期完成的比例")
ind("market_entities_per10k", "每万人市场主体数", "Market entities per 10 000 residents", "户", "+", "last", "none", "T01",
    "市场监管部门 登记数据", "年末实有市场主体数/常住人口×10000")
ind("private_invest_share", "民间投资占固定资产投资比重", "Private share of fixed-asset investment", "%", "+", "last", "none", "T01",
    "统计部门 固定资产投资统计", "民间投资/固定资产投资")
ind("gov_online_rate", "政务服务事项全程网办率", "Government services fully online", "%", "+", "last", "none", "T01",
    "大数据中心 政务服务平台", "可全程网上办理的政务服务事项占比")
# D2 development
ind("gdp", "地区生产总值", "Gross domestic product", "亿元", "+", "sum", "none", "T02",
    "统计部门 地区生产总值核算", "现价; 县区与全市分别核算，不由下级加总")
ind("gdp_growth", "地区生产总值增速", "GDP growth (comparable prices)", "%", "+", "last", "none", "T02",
    "统计部门 地区生产总值核算", "按可比价格计算的增长率")
ind("gdp_pc", "人均地区生产总值", "GDP per capita", "元", "+", "last", "none", "T02",
    "统计部门 地区生产总值核算", "地区生产总值/年平均常住人口")
ind("industrialisation_rate", "工业化率", "Industrialisation rate", "%", "band", "last", "none", "T02",
    "统计部门 地区生产总值核算", "工业增加值占地区生产总值比重; 区间型指标(模板设定的合理区间)",
    band=(40, 55))
ind("urbanisation_rate", "常住人口城镇化率", "Urbanisation rate (resident population)", "%", "+", "last", "none", "T03",
    "统计部门 人口变动抽样调查", "城镇常住人口/常住人口")
ind("budget_revenue", "地方一般公共预算收入", "Local general public budget revenue", "亿元", "+", "sum", "none", "T02",
    "财政部门 决算", "")
ind("retail_sales", "社会消费品零售总额", "Retail sales of consumer goods", "亿元", "+", "sum", "none", "T02",
    "统计部门 贸易统计", "")
ind("tertiary_share", "第三产业增加值占比", "Tertiary sector share of GDP", "%", "+", "last", "none", "T02",
    "统计部门 地区生产总值核算", "")
# D3 regional
ind("income_range_ratio", "地区间居民收入最高最低倍差", "Highest/lowest regional income ratio", "倍", "-", "last", "none", "T03",
    SURVEY + "; 浙江目标: " + ZJ_PLAN,
    "下一级地区(乡镇、县区或地市)居民人均可支配收入最高值/最低值; 只在有下级的单位计算")
ind("road_density", "公路密度", "Road density", "公里/百平方公里", "+", "last", "none", "T03",
    "交通运输部门 公路统计", "公路里程/国土面积×100")
ind("forest_coverage", "森林覆盖率", "Forest coverage", "%", "+", "last", "none", "T03",
    "林草部门 森林资源调查", "")
ind("transit_coverage", "建制村通客车率", "Administrative villages served by bus", "%", "+", "last", "none", "T03",
    "交通运输部门", "")
# D4 rural
ind("income_rural", "农村居民人均可支配收入", "Rural per-capita disposable income", "元", "+", "last", "none", "T04",
    SURVEY, "农村常住居民; 县区和全市由住户调查发布(不由村级汇总), 住户收入引擎可由微观数据在各级计算")
ind("collective_income_village", "村级集体经济收入", "Village collective economy income", "万元", "+", "sum", "mean", "T04",
    "农业农村部门 农村集体经济统计", "村(社区)集体经济经营性收入; 上级为所辖单位的平均值")
ind("lowincome_households", "低收入户数", "Low-income households", "户", "-", "last", "sum", "T04",
    "民政/乡村振兴部门 低收入人口动态监测", "人均可支配收入低于监测线(默认10000元/年)的户数; 住户收入引擎可由微观数据计算")
ind("lowincome_paired_rate", "低收入户结对帮扶覆盖率", "Low-income households with a paired helper", "%", "+", "last", "popmean", "T04",
    "民政/乡村振兴部门 低收入人口动态监测", "已落实结对帮扶(双结亲)的低收入户占比")
ind("rural_tap_water", "农村自来水普及率", "Rural tap-water coverage", "%", "+", "last", "none", "T04",
    "水利部门", "")
# D5 income
ind("income_pc", "居民人均可支配收入", "Per-capita disposable income (all residents)", "元", "+", "last", "popmean", "T05",
    SURVEY + "; 浙江目标: " + ZJ_PLAN, "全体常住居民; 村(社区)报数, 上级按常住人口加权汇总")
ind("income_urban", "城镇居民人均可支配收入", "Urban per-capita disposable income", "元", "+", "last", "none", "T05",
    SURVEY, "城镇常住居民; 县区和全市由住户调查发布(不由村级汇总), 住户收入引擎可由微观数据在各级计算")
ind("urban_rural_ratio", "城乡居民收入倍差", "Urban-rural income ratio", "倍", "-", "last", "none", "T05",
    SURVEY + "; 浙江目标: " + ZJ_PLAN + "; 全国先例(≤2.8, 权重1.5): " + NBS2013,
    "城镇居民人均可支配收入/农村居民人均可支配收入", formula="income_urban / income_rural")
ind("gini", "居民收入基尼系数", "Gini coefficient of per-capita disposable income", "—", "-", "last", "none", "T05",
    SURVEY + "; 全国先例: " + NBS2013, "0–1; 住户收入引擎由住户微观数据计算(与 R laeken 一致)")
ind("middle_income_share", "中等收入群体比例(家庭年可支配收入10–50万元)", "Households with 100–500k yuan a year (3-person scale)", "%", "+", "last", "popmean", "T05",
    SURVEY + "; 浙江目标: " + ZJ_PLAN, "人均可支配收入×3落在[10万,50万]元的家庭占比; 住户收入引擎可计算")
ind("middle_income_share_20_60", "家庭年可支配收入20–60万元群体比例", "Households with 200–600k yuan a year (3-person scale)", "%", "+", "last", "popmean", "T05",
    SURVEY + "; 浙江目标: " + ZJ_PLAN, "人均可支配收入×3落在[20万,60万]元的家庭占比; 住户收入引擎可计算")
ind("engel", "居民恩格尔系数", "Engel coefficient", "%", "-", "last", "none", "T05",
    SURVEY + "; 全国先例: " + NBS2013, "食品烟酒支出/消费支出")
ind("labour_share", "劳动报酬占地区生产总值比重", "Labour share of GDP", "%", "+", "last", "none", "T05",
    "统计部门 收入法地区生产总值; 浙江目标: " + ZJ_PLAN, "")
# D6 services
ind("higher_ed_enrolment", "高等教育毛入学率", "Gross higher-education enrolment", "%", "+", "last", "none", "T06",
    "教育部门; 浙江目标: " + ZJ_PLAN, "")
ind("skilled_worker_share", "技能人才占就业人员比重", "Skilled workers' share of employment", "%", "+", "last", "none", "T06",
    "人社部门; 浙江目标: " + ZJ_PLAN, "")
ind("preschool_inclusive_rate", "普惠性幼儿园覆盖率", "Inclusive kindergarten coverage", "%", "+", "last", "none", "T06",
    "教育部门", "")
ind("life_expectancy", "人均预期寿命", "Life expectancy at birth", "岁", "+", "last", "none", "T06",
    "卫生健康部门; 全国先例(≥76, 权重2.0): " + NBS2013, "")
ind("doctors_per_1000", "每千人口执业(助理)医师数", "Doctors per 1000 residents", "人", "+", "last", "none", "T06",
    "卫生健康部门", "")
ind("elderly_care_beds", "每千名老年人养老床位数", "Elderly-care beds per 1000 elderly", "张", "+", "last", "none", "T06",
    "民政部门", "")
# D7 culture
ind("culture_venue_area", "每万人公共文化设施面积", "Public cultural floor space per 10 000 residents", "平方米", "+", "last", "none", "T07",
    "文广旅部门", "")
ind("civilised_village_rate", "县级及以上文明村镇占比", "Villages and towns rated 'civilised' (county level or above)", "%", "+", "last", "none", "T07",
    "文明办", "")
ind("reading_rate", "居民综合阅读率", "Residents' reading rate", "%", "+", "last", "none", "T07",
    "宣传部门 阅读调查", "")
# D8 governance
ind("safety_satisfaction", "群众安全感满意度", "Residents' sense of safety", "%", "+", "last", "popmean", "T08",
    "政法部门 群众安全感调查", "")
ind("grid_coverage", "网格化服务管理覆盖率", "Grid-based service coverage", "%", "+", "last", "popmean", "T08",
    "政法部门", "")
ind("disputes_resolved_rate", "矛盾纠纷调解成功率", "Disputes successfully mediated", "%", "+", "last", "popmean", "T08",
    "司法部门", "")
ind("petitions_per_10k", "每万人信访量", "Petitions per 10 000 residents", "件", "-", "last", "none", "T08",
    "信访部门", "")

FW_HEADER = ["framework", "framework_name", "framework_name_en", "code", "parent", "kind", "name",
             "name_en", "weight", "unit_of_measure", "direction", "band_lo", "band_hi", "agg_time",
             "agg_units", "formula", "source", "team", "baseline", "baseline_year", "target_2025",
             "target_2027", "target_2035", "target_level", "target_scale", "description"]

# Where a target applies (docs/formats.md): totals and counts set for the whole city (GDP, budget
# revenue, retail sales, low-income households) and the city's highest/lowest county ratio apply
# to the city only; the village collective income target is set per village; every other target is
# a rate, share, ratio or per-capita figure, the same at every level.
CITY_ONLY = {"gdp", "budget_revenue", "retail_sales", "lowincome_households", "income_range_ratio"}
TARGET_LEVEL = {"collective_income_village": "village"}


def target_rule(code):
    return [TARGET_LEVEL.get(code, "city"), "none" if code in CITY_ONLY else "same"]


def fw_rows(fw, fw_name, fw_en, index, dims):
    """index = (code, name, name_en, description); dims = [(code, name, name_en, weight,
    [(indicator, weight, baseline, baseline_year, t2025, t2027, t2035)])]"""
    rows = [[fw, fw_name, fw_en, index[0], "", "index", index[1], index[2], 1] + [""] * 16 + [index[3]]]
    for dcode, dname, den, dw, inds in dims:
        rows.append([fw, fw_name, fw_en, dcode, index[0], "dimension", dname, den, dw] + [""] * 17)
        for code, w, base, by, t25, t27, t35 in inds:
            m = IND[code]
            rows.append([fw, fw_name, fw_en, code, dcode, "indicator", m["name"], m["name_en"], w,
                         m["uom"], m["direction"], m["band_lo"], m["band_hi"], m["agg_time"],
                         m["agg_units"], m["formula"], m["source"], m["team"], base, by, t25, t27,
                         t35] + target_rule(code) + [m["desc"]])
    return rows


def make_frameworks():
    N = None
    pzh_dims = [
        ("pzh_d1_reform", "改革探索示范", "Reform exploration", 1, [
            ("reform_tasks_done", 1, 85, 2020, 100, 100, 100),
            ("market_entities_per10k", 1, 780, 2020, 1000, 1100, 1400),
            ("private_invest_share", 1, 45, 2020, 52, 55, 60),
            ("gov_online_rate", 1, 80, 2020, 98, 99, 100)]),
        ("pzh_d2_development", "“四化同步”高质量发展示范", "'Four modernisations in step' high-quality development", 1, [
            ("gdp", 1, 1040.82, 2020, 1500, 1700, 2600),
            ("gdp_growth", 1, 3.9, 2020, 6.5, 6, 5),
            ("gdp_pc", 1.5, 93406.1, 2021, 120000, 135000, 200000),
            ("industrialisation_rate", 0.5, 47.9, 2023, 48, 48, 45),
            ("budget_revenue", 1, 68.25, 2020, 110, 125, 180),
            ("retail_sales", 1, N, N, 360, 400, 560),
            ("tertiary_share", 1, 36.4, 2019, 40, 42, 50)]),
        ("pzh_d3_regional", "区域协调发展示范", "Regional coordination", 1, [
            ("urbanisation_rate", 1, 70.78, 2023, 72, 73.5, 78),
            ("income_range_ratio", 1.5, 1.7, 2020, 1.55, 1.5, 1.35),
            ("road_density", 0.5, 95, 2020, 110, 115, 130),
            ("forest_coverage", 1, 61.5, 2020, 62.5, 63, 64),
            ("transit_coverage", 0.5, 92, 2020, 100, 100, 100)]),
        ("pzh_d4_rural", "农民农村共同富裕示范", "Farmers' and rural common prosperity", 1, [
            ("income_rural", 2, 19938, 2020, 30500, 35000, 60000),
            ("collective_income_village", 1.5, 10, 2020, 25, 35, 80),
            ("lowincome_households", 1, 4100, 2020, 150, 100, 50),
            ("lowincome_paired_rate", 1, 85, 2020, 100, 100, 100),
            ("rural_tap_water", 0.5, 88, 2020, 95, 97, 99)]),
        ("pzh_d5_income", "收入分配制度改革示范", "Income distribution reform", 1, [
            ("income_pc", 2, 37000, 2020, 50000, 56000, 90000),
            ("income_urban", 1, 44209, 2020, 58000, 64000, 100000),
            ("urban_rural_ratio", 1.5, 2.22, 2020, 1.95, 1.9, 1.7),
            ("gini", 1, 0.38, 2020, 0.36, 0.35, 0.33),
            ("middle_income_share", 1, 48, 2020, 60, 65, 75),
            ("engel", 0.5, 31, 2020, 28, 27, 25),
            ("labour_share", 1, 44, 2020, 48, 50, 52)]),
        ("pzh_d6_services", "优质共享基本公共服务示范", "Quality shared basic public services", 1, [
            ("higher_ed_enrolment", 1, 52, 2020, 62, 66, 75),
            ("skilled_worker_share", 1, 24, 2020, 30, 33, 40),
            ("preschool_inclusive_rate", 1, 85, 2020, 92, 95, 98),
            ("life_expectancy", 1, 78.2, 2020, 79.5, 80, 81.5),
            ("doctors_per_1000", 1, 3.1, 2020, 3.5, 3.7, 4.2),
            ("elderly_care_beds", 1, 33, 2020, 40, 42, 48)]),
        ("pzh_d7_culture", "精神生活共同富裕示范", "Spiritual richness", 1, [
            ("culture_venue_area", 1, 1200, 2020, 1500, 1600, 2000),
            ("civilised_village_rate", 1, 55, 2020, 70, 75, 90),
            ("reading_rate", 1, 80, 2020, 85, 87, 92)]),
        ("pzh_d8_governance", "社会治理高效能示范", "Efficient social governance", 1, [
            ("safety_satisfaction", 1, 95, 2020, 98, 98.5, 99),
            ("grid_coverage", 1, 90, 2020, 100, 100, 100),
            ("disputes_resolved_rate", 1, 95, 2020, 98, 98.5, 99),
            ("petitions_per_10k", 1, 12, 2020, 8, 7, 5)]),
    ]
    pzh_desc = ("可编辑模板(editable template), 不是官方指标清单: 攀枝花共同富裕试验区的官方指标体系未公开; "
                "八个维度取自其2022—2025年实施方案的八个市级示范, 指标、权重和目标为合成示例(synthetic), "
                "基线除注明来源者(P1/P3/P6/P10, 见 docs/demo.md)外亦为合成值")
    rows = fw_rows("panzhihua", "攀枝花共同富裕试验区评价指标体系(可编辑模板)",
                   "Panzhihua pilot-zone indicator framework (editable template, synthetic)",
                   ("pzh_index", "攀枝花共同富裕试验区综合指数(模板)",
                    "Panzhihua common-prosperity index (template)", pzh_desc), pzh_dims)
    write("framework-panzhihua.csv", FW_HEADER, rows)
    n_pzh = sum(len(d[4]) for d in pzh_dims)

    zj_dims = [
        ("zj_d1_income", "收入与发展水平", "Income and development", 1, [
            ("income_pc", 1, 57541, 2021, 75000, N, N),
            ("gdp_pc", 1, 118496, 2022, 130000, N, N),
            ("labour_share", 1, N, N, 50, N, N)]),
        ("zj_d2_gaps", "缩小城乡区域差距", "Narrowing urban-rural and regional gaps", 1, [
            ("urban_rural_ratio", 1, 1.94, 2021, 1.9, N, N),
            ("income_range_ratio", 1, 1.61, 2021, 1.55, N, N)]),
        ("zj_d3_middle", "橄榄型收入分配结构", "Olive-shaped income distribution", 1, [
            ("middle_income_share", 1, N, N, 80, N, N),
            ("middle_income_share_20_60", 1, 30.6, 2021, 45, N, N)]),
        ("zj_d4_human", "公共服务与人力资本", "Public services and human capital", 1, [
            ("higher_ed_enrolment", 1, N, N, 70, N, N),
            ("skilled_worker_share", 1, N, N, 35, N, N)]),
        ("zj_d5_precedent", "全国全面小康监测先例(2013)", "National 2013 moderately-prosperous monitoring precedent", 1, [
            ("gini", 1.5, N, N, 0.4, N, N),
            ("engel", 2.0, N, N, 40, N, N),
            ("life_expectancy", 2.0, N, N, 76, N, N)]),
    ]
    zj_desc = ("浙江高质量发展建设共同富裕示范区2025年主要目标(" + ZJ_PLAN + "); 基线: income_pc 2021 57541 元 "
               "(Z5 浙江工人日报 2022-02-16), gdp_pc 2022 118496 元 (Z3 2022浙江统计公报), urban_rural_ratio 2021 1.94, "
               "income_range_ratio 2021 1.61, middle_income_share_20_60 2021 30.6% (DESIGN §5); 维度5为国家统计局2013年"
               "全面小康监测的先例阈值(基尼≤0.4 权重1.5, 城乡倍差≤2.8 权重1.5, 恩格尔≤40% 权重2.0, 预期寿命≥76 权重2.0), "
               "记为2025目标列, 按实现程度封顶100%计分")
    rows = fw_rows("zhejiang2025", "浙江共同富裕示范区2025年目标(已发布)",
                   "Zhejiang demonstration zone 2025 targets (published)",
                   ("zj_index", "浙江共同富裕示范区2025主要目标", "Zhejiang common-prosperity 2025 targets",
                    zj_desc), zj_dims)
    write("framework-zhejiang.csv", FW_HEADER, rows)
    return n_pzh


# ---------------------------------------------------------------------------------------------
# Real published values (grade A/B rows of published-statistics.md only)
# ---------------------------------------------------------------------------------------------
P1 = "P1 攀枝花市2021年政府工作报告 (grade A)"
P2 = "P2 攀枝花日报 2023-01-07, 2023年政府工作报告数据 (grade A; 预计/preliminary)"
P3 = "P3 攀枝花市情简介(2024) (grade A)"
P6 = "P6 每日经济新闻 2023-08-30 (grade B)"
P10 = "P10 四川在线 2021-01-22, 十四五纲要 (grade B)"
P12 = "P12 东区发改局 2023年计划执行情况报告 (grade A)"
P15 = "P15 米易县2020年统计公报 (grade A)"
REAL = [
    ("510400", "tertiary_share", "2019", 36.4, P10 + " 三次产业结构 9.1:54.5:36.4"),
    ("510400", "gdp", "2020", 1040.82, P1),
    ("510400", "gdp_growth", "2020", 3.9, P1),
    ("510400", "income_urban", "2020", 44209, P1),
    ("510400", "income_rural", "2020", 19938, P1),
    ("510400", "budget_revenue", "2020", 68.25, P1),
    ("510400", "gdp_pc", "2021", 93406.1, P6),
    ("510400", "gdp", "2022", 1200, P2),
    ("510400", "gdp_growth", "2022", 2.6, P2 + " 增速“2.6%左右”"),
    ("510400", "income_urban", "2022", 50214, P2),
    ("510400", "income_rural", "2022", 23297, P2),
    ("510400", "budget_revenue", "2022", 83.3, P2 + " 同口径+7%"),
    ("510400", "gdp", "2023", 1303.8, P3),
    ("510400", "gdp_growth", "2023", 6.5, P3),
    ("510400", "urbanisation_rate", "2023", 70.78, P3),
    ("510400", "industrialisation_rate", "2023", 47.9, P3),
    ("510400", "retail_sales", "2023", 315.86, P3),
    ("510400", "budget_revenue", "2023", 101.23, P3),
    ("510402", "gdp", "2023", 571.02, P12),
    ("510402", "gdp_growth", "2023", 6.7, P12),
    ("510421", "gdp", "2020", 155.68, P15),
    ("510421", "gdp_growth", "2020", 4.2, P15),
    ("510421", "gdp_pc", "2020", 68584, P15),
    ("510421", "tertiary_share", "2020", 36.8, P15 + " 三次产业结构 21.9:41.3:36.8"),
]


def make_values():
    for r in REAL:
        assert r[1] in IND, r
    write("values-published.csv", ["unit", "indicator", "period", "value", "source", "state"],
          [(u, i, p, v, s, "submitted") for u, i, p, v, s in REAL])


if __name__ == "__main__":
    units = make_units()
    make_org(units)
    n = make_frameworks()
    make_values()
    lv = {}
    for u in units:
        lv[u[4]] = lv.get(u[4], 0) + 1
    print("units per level:", lv, "panzhihua indicators:", n, "indicators in all:", len(IND))
