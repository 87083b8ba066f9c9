"""Every finding gongkai can raise, as data: one table that the stages look up, and that
``gongkai info``, ``docs/findings.md`` (``scripts/findings_reference.py``) and the tests read.

A ``FindingKind`` is one code (``rule``) with its severity, its source and its Chinese
message templates (``str.format`` fields). Most codes have one message; a code raised in
several situations has one template per situation, named by a *variant*
(``UNREAD_CELL``'s ``"t2_empty_row"``, ``"t3_too_many"`` ...). Stages raise a finding with
``Finding.of(code, variant, cells=..., table=..., **fields)`` (``gongkai.model``) or, across
reports, ``CrossFinding.of`` (``gongkai.corpus.crosscheck``): the code, variant and fields
are checked against this table.

Sources: ``report`` (the report itself is wrong or incomplete: the agency's problem),
``extraction`` (gongkai could not read something: ours), ``corpus`` (across reports of a
corpus: ``gongkai check-corpus``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from string import Formatter
from typing import Any, Literal

from .labels import FORMAT_DOCUMENTS

Severity = Literal["error", "warning", "info"]
# A finding is either about the report itself (its numbers do not add up, a section is
# missing) or about gongkai's reading of it (a cell could not be read). Users must be able
# to tell the two apart: the first is the agency's problem, the second is ours.
FindingSource = Literal["report", "extraction"]
# Where a code is raised: on one report (its source is one of FindingSource) or across the
# reports of a corpus.
KindSource = Literal["report", "extraction", "corpus"]


def template_fields(template: str) -> frozenset[str]:
    """The names of a template's ``str.format`` fields."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


@dataclass(frozen=True, slots=True)
class FindingKind:
    rule: str  # the code, as findings carry it (``Finding.rule``)
    severity: Severity
    source: KindSource
    title: str  # Chinese: a short name, for ``gongkai info``
    doc: str  # English: when it is raised, for docs/findings.md
    templates: Mapping[str | None, str]  # variant (None: the usual one) -> Chinese message
    fields: Mapping[str | None, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", {v: template_fields(t) for v, t in self.templates.items()})

    @property
    def template(self) -> str:
        """The usual message (variant None), or the first variant's where every message is named."""
        return self.templates[None] if None in self.templates else next(iter(self.templates.values()))

    def message(self, variant: str | None = None, **fields: Any) -> str:
        """The Chinese message of ``variant`` with ``fields`` filled in; every field of the
        template must be given, and no other."""
        try:
            template = self.templates[variant]
        except KeyError:
            raise KeyError(f"{self.rule} has no message variant {variant!r}") from None
        if fields.keys() != self.fields[variant]:
            want, got = sorted(self.fields[variant]), sorted(fields)
            raise TypeError(f"{self.rule}/{variant}: the template's fields are {want}, given {got}")
        return template.format(**fields)


def _kind(
    rule: str, severity: Severity, source: KindSource, title: str, doc: str, usual: str | None = None, /, **variants: str
) -> FindingKind:
    templates: dict[str | None, str] = {} if usual is None else {None: usual}
    templates.update(variants)
    return FindingKind(rule, severity, source, title, doc, templates)


FINDINGS: tuple[FindingKind, ...] = (
    # ------------------------------------------------ the report's own numbers (validate/)
    _kind(
        "T3_BALANCE", "error", "report", "表三勾稽关系",
        "Table 3, one column: received + carried over differs from handled + carried forward.",
        "表三{where}：第一项加第二项之和（{lhs_value}）不等于第三项加第四项之和（{rhs_value}）",
    ),
    _kind(
        "T3_ROW_TOTAL", "error", "report", "表三行合计",
        "Table 3, one row: the total column differs from natural persons plus the five kinds of legal persons.",
        "表三{where}：总计（{lhs_value}）不等于自然人与五类法人或其他组织之和（{rhs_value}）",
    ),
    _kind(
        "T3_OUTCOME_TOTAL", "error", "report", "表三办理结果总计",
        "Table 3, one column: （七）总计 differs from the sum of the outcome rows.",
        "表三{where}：（七）总计（{lhs_value}）不等于各项办理结果之和（{rhs_value}）",
    ),
    _kind(
        "T4_GROUP_TOTAL", "error", "report", "表四合计",
        "Table 4, one group: 总计 differs from upheld + corrected + other + pending.",
        "表四{where}：总计（{lhs_value}）不等于结果维持、结果纠正、其他结果、尚未审结之和（{rhs_value}）",
    ),
    _kind(
        "FORMAT_YEAR", "warning", "report", "格式与年度不符",
        "The tables follow the other year's official format (variant: the format the year needs).",
        **{
            fmt: f"{{year}}年度报告应使用{doc}规定的{fmt}年格式，实际为{{actual}}年格式" for fmt, doc in sorted(FORMAT_DOCUMENTS.items(), reverse=True)
        },
    ),
    _kind(
        "MISSING_SECTION", "warning", "report", "缺少章节",
        "One or more of the six official sections were not found.",
        "未找到章节：{sections}",
    ),
    _kind(
        "TEXT_TABLE_MISMATCH", "warning", "report", "正文与表格不一致",
        "A sentence of the prose states a number that its own table contradicts.",
        "正文称“{sentence}”，与表格不一致：{where}为 {value}",
    ),
    _kind(
        "PRE2019_NO_TABLES", "info", "report", "2019年以前的报告",
        "A report on a year before 2019: there were no official tables; metadata and sections only.",
        "2019年以前的年度报告没有统一格式的统计表，只提取了基本信息和章节内容",
    ),
    _kind(
        "T3_SINGLE_OTHER_ROW", "warning", "report", "表三（六）单行写法",
        "A 2021-format table 3 keeps the 2019 single （六）其他处理 row instead of its three sub-rows.",
        "表三「（六）其他处理」沿用2019年格式的单行写法，未按2021年格式分为三项",
    ),
    # ------------------------------------------------ reading the report (read/, normalize/, extract/)
    _kind(
        "NOT_A_REPORT", "error", "extraction", "不是年度报告",
        "The input is not an annual report: no text, no report markers, or the blank template.",
        "未识别为政府信息公开工作年度报告：缺少报告的标题、章节和统计表",
        empty="未识别为政府信息公开工作年度报告：文件没有文字内容",
        template="未识别为政府信息公开工作年度报告：有统计表的栏目但没有任何数据，也没有报告标题（可能是格式通知或空白模板）",
    ),
    _kind(
        "BODY_UNKNOWN", "warning", "extraction", "未能确定发布机关",
        "No trusted organisation name in the title, page metadata, signature or self-references: the body is left absent.",
        "未能确定发布机关：标题、页面信息（发布机构、来源）、落款和正文自称都没有可信的机关名称，发布机关留空",
    ),
    _kind(
        "MISSING_TABLE", "error", "extraction", "未读到统计表",
        "None of a table's cells were read.",
        "未读到{table_title}的数据",
    ),
    _kind(
        "MISSING_ROW", "warning", "extraction", "缺少表格行",
        "Rows of table 2 or 3 were not found at all.",
        t3="表三缺少{rows}",
        t2="表二缺少{rows}行",
    ),
    _kind(
        "UNREAD_CELL", "warning", "extraction", "单元格未读到",
        "Cells that the text does not show and that the identities cannot fix.",
        "{cells_named}在原文中缺失，且无法由勾稽关系确定",
        t2_empty_row="表二「{row}」行没有读到数值",
        t2_too_many="表二「{row}」行读到的数值多于 {columns} 列，无法对应",
        t2_lost="表二「{row}」行缺少 {count} 格数值",
        t3_empty_row="表三「{row}」行没有读到数值",
        t3_too_many="表三「{row}」行读到 {count} 个数值，多于 7 列，无法对应",
        t4_too_many="表四读到 {count} 个数值，多于 15 列，无法对应",
    ),
    _kind(
        "DERIVED_CELL", "info", "extraction", "由勾稽关系推出",
        "Cells lost from the text and fixed by the table identities.",
        "{count} 个单元格在原文中缺失，已按表格勾稽关系推出：{cells_named}",
    ),
    _kind(
        "AMBIGUOUS_LAYOUT", "warning", "extraction", "无法确定所在列",
        "A row's numbers do not match its columns and the identities leave more than one reading.",
        "{count} 个单元格无法确定所在列（数值个数与列数不符，勾稽关系也不能唯一确定）：{cells_named}",
        t2_row="表二「{row}」行的数值个数与列数不符，无法确定各自所在列",
    ),
    _kind(
        "LOST_BOUNDARIES", "warning", "extraction", "单元格分隔丢失，无法拆分",
        "A table-3 or table-4 row whose cells ran together into digit runs that no cut, or too many cuts, fit the row's identities: left absent.",
        "{where}的数字连在一起（{run}，原文丢失了单元格分隔），{why}，未读取",
    ),
    _kind(
        "LOST_BOUNDARIES_SPLIT", "info", "extraction", "单元格分隔丢失，已拆分",
        "A table-3 or table-4 row whose cells ran together, cut into its cells by the row's own identities (extract/runs.py).",
        "{where}的数字连在一起（{run}，原文丢失了单元格分隔），已按表格勾稽关系拆分",
    ),
    _kind(
        "NUMBER_TOO_LONG", "warning", "extraction", "数字位数过长",
        "A run of more digits than any statistical cell can have (domain/text.MAX_NUMBER_DIGITS): read as text, not as a number (docs/hostile.md).",
        "第 {line} 行有一串 {digits} 位的数字，超出任何统计数据的合理位数，未作为数值读取",
    ),
    _kind(
        "OCR_REPAIRED", "warning", "extraction", "识别结果已修正",
        "An OCR misread that the identities fix uniquely (one cell, few digit edits).",
        "{cell}：文字识别结果为 {read}，与表格勾稽关系不符，已按勾稽关系修正为 {fixed}",
    ),
    _kind(
        "OCR", "info", "extraction", "经文字识别读取",
        "Text was read by OCR: numbers may be misread.",
        "内容经文字识别（OCR）读取，数字可能有误",
        scans="第 {pages} 页（扫描图像或无法解码的文字）内容经文字识别（OCR）读取，数字可能有误",
        pictures="第 {pages} 页的图片内容经文字识别（OCR）读取，数字可能有误",
    ),
    _kind(
        "OCR_SKIPPED", "warning", "extraction", "未做文字识别",
        "Pages or an image need OCR, which is switched off or not installed.",
        image="图像文件需要文字识别（OCR），按设置未启用",
        scans_off="第 {pages} 页没有可用的文字层（扫描图像或无法解码的文字），按设置未做文字识别",
        scans_missing='第 {pages} 页没有可用的文字层（扫描图像或无法解码的文字），未安装文字识别组件（pip install "gongkai[ocr]"），未能读取',
        pictures_off="第 {pages} 页有大幅图片（可能是表格截图），按设置未做文字识别",
        pictures_missing='第 {pages} 页有大幅图片（可能是表格截图），未安装文字识别组件（pip install "gongkai[ocr]"），未能读取',
    ),
    _kind(
        "PDF_TRUNCATED", "warning", "extraction", "PDF 不完整",
        "The PDF's end is missing (an interrupted download); what is there was read.",
        "PDF 文件结尾缺失（可能下载不完整），已尽量读取",
    ),
    _kind(
        "EMBEDDED_CONTENT", "warning", "extraction", "嵌入内容未读取",
        "A Word file embeds external content (altChunk) that was not read.",
        "文档中有 {count} 处嵌入的外部内容（altChunk）未读取；如统计表缺失，请在 Word 中另存为 PDF 后再读取",
    ),
    _kind(
        "CONVERTED", "info", "extraction", "已转换格式",
        "A legacy office file (.doc, .wps, .rtf, .odt) was converted to DOCX by LibreOffice.",
        "{suffix} 文档已用 LibreOffice 转换为 DOCX 后读取",
    ),
    _kind(
        "INPUT_TRUNCATED", "warning", "extraction", "内容超过上限",
        "The input is longer than one report may be (settings bounds); only its beginning was read.",
        "{document}内容超过单份报告的上限，只读取了前面部分",
        text="文本长度 {length} 字超过单份报告上限 {limit} 字，只读取前 {limit} 字",
    ),
    _kind(
        "TABLE_TRUNCATED", "warning", "extraction", "表格已截断",
        "Tables whose merged cells or size exceed the bounds were cut.",
        "{count} 个表格的合并单元格或大小异常（超过上限），已截断读取",
    ),
    _kind(
        "ENCODING", "info", "extraction", "文字编码",
        "The text's encoding, where it is not UTF-8.",
        "文本编码识别为 {encoding}",
        html="网页编码识别为 {encoding}",
    ),
    _kind(
        "ENCODING_ERRORS", "warning", "extraction", "编码错误",
        "A web page has a few bytes that do not decode; they were replaced.",
        "网页有 {count} 处字节无法按 {encoding} 解码，已替换为 �",
    ),
    _kind(
        "MULTIPLE_REPORTS", "warning", "extraction", "一页多份报告",
        "A web page holds several annual reports; the first was read.",
        "网页包含 {count} 份年度报告，只读取了第一份",
    ),
    _kind(
        "SPAM_REMOVED", "info", "extraction", "已忽略无关内容",
        "Injected unrelated lines (gambling, porn ...) were dropped before reading.",
        "已忽略 {count} 行疑似注入的无关内容（博彩、色情等）",
    ),
    _kind(
        "TRADITIONAL_SCRIPT", "info", "extraction", "繁体字",
        "The source is in traditional script and was converted to simplified before reading.",
        "原文为繁体字，已转换为简体字后识别",
    ),
    # ------------------------------------------------ a report computed from an agency's records (agency/)
    _kind(
        "NO_RECORDS", "warning", "report", "没有台账记录",
        "A report computed for a body with no records up to the report year: every table cell is 0.",
        "{body}没有任何{year}年及以前的台账记录：表格全部为 0，请先导入台账",
    ),
    _kind(
        "COUNT_MISSING", "warning", "report", "年度数量未填报",
        "A table-2 count (licences, penalties, enforcement, fees) is not in the yearly counts ledger: the cell is left absent, not 0.",
        "{label}未填报：{why}；该单元格在报告中留空，不按 0 计",
    ),
    _kind(
        "T2_2019_NOT_COMPUTED", "info", "report", "2019年格式表二需手工填写",
        "A report on 2019 or 2020: the 2019-format table 2 does not follow from the ledgers and is left absent.",
        "2019 年格式的表二（新制作数量、对外公开总数量、项目数量等）无法由台账计算，请在报告中手工填写",
    ),
    _kind(
        "NARRATIVE_DEFAULT", "info", "report", "章节仍为默认文字",
        "A section's text is still the workbench's default prompt, not the agency's own.",
        "第{number}部分「{title}」仍是系统生成的默认文字，发布前请审阅修改",
    ),
    _kind(
        "YEAR_MISMATCH", "warning", "report", "上年报告年度不符",
        "The file given as last year's report is of another year: the year-to-year checks were not run.",
        "用作上年报告的文件是{given}，不是{body}{year}年度报告，未做跨年核对",
    ),
    # ------------------------------------------------ across the reports of a corpus (corpus/, store/)
    _kind(
        "CARRY_OVER", "warning", "corpus", "上年结转不一致",
        "This year's 上年结转 differs from last year's 结转下年度继续办理 of the same body.",
        "{body}{year}年度报告（{report}）的「上年结转政府信息公开申请数量」与"
        "{prev_body}{prev_year}年度报告（{prev_report}）的「结转下年度继续办理」不一致：{differences}",
    ),
    _kind(
        "IN_FORCE_CONTINUITY", "info", "corpus", "现行有效件数不连续",
        "Documents in force differ from last year's plus issued minus repealed (2021 format).",
        "{body}{year}年度报告（{report}）{what}现行有效件数为 {now}，"
        "按{prev_year}年度报告（{prev_report}）的现行有效件数 {last} "
        "加本年制发 {issued}、减本年废止 {repealed} 应为 {want}"
        "（修订、重新发布等情形可能导致差异，请核对）",
    ),
    _kind(
        "YEAR_JUMP", "info", "corpus", "数值异常跳变",
        "A number of one year is many times the body's median of its other years (or a fraction of it).",
        up="{body}{year}年度报告（{report}）{cell}为 {value}，约为该机关其他年度中位数 {median} 的 {ratio:.0f} 倍"
        "（{years}），请核对是否存在录入或识别错误",
        down="{body}{year}年度报告（{report}）{cell}为 {value}，仅约为该机关其他年度中位数 {median} 的 1/{ratio:.0f}"
        "（{years}），请核对是否存在录入或识别错误",
    ),
    _kind(
        "DUPLICATE_PUBLICATION", "warning", "corpus", "多个版本数据不一致",
        "One body published several versions of one year's report whose numbers differ.",
        "{body}{year}年度报告发布了内容不同的多个版本（{report}、{other_report}），数据不一致：{differences}",
    ),
    _kind(
        "COPIED_NARRATIVE", "warning", "corpus", "内容雷同",
        "Two reports' texts of one section are near-identical (MinHash estimate).",
        "{body}{year}年度报告（{report}）与{other_body}{other_year}年度报告（{other_report}）的「{section}」部分"
        "高度雷同（估计相似度 {jaccard:.0%}），可能存在照搬照抄（" + FORMAT_DOCUMENTS["2021"] + "要求年度报告避免内容雷同）",
        same_body="{body}{year}年度与{other_year}年度报告（{report}、{other_report}）的「{section}」部分"
        "高度雷同（估计相似度 {jaccard:.0%}），可能存在照搬照抄（" + FORMAT_DOCUMENTS["2021"] + "要求年度报告避免内容雷同）",
    ),
    _kind(
        "REPOSTED", "info", "corpus", "同一文件多处发布",
        "The same bytes were published under several paths or URLs.",
        "{body}{year}年度报告：同一份文件在 {count} 处发布：{paths}",
    ),
)  # fmt: skip
FINDING_BY_RULE: dict[str, FindingKind] = {k.rule: k for k in FINDINGS}


def kind(rule: str) -> FindingKind:
    """The catalogue entry of a code; a code that is not in the catalogue is an error."""
    try:
        return FINDING_BY_RULE[rule]
    except KeyError:
        raise KeyError(f"finding code {rule!r} is not in gongkai.domain.findings") from None


def listed(names: Iterable[str], limit: int) -> str:
    """Up to ``limit`` names joined by 、, with 等 when there were more. Only the first
    ``limit + 1`` names are taken from ``names`` (a lazy ``map`` labels no more)."""
    items = list(islice(names, limit + 1))
    return "、".join(items[:limit]) + ("等" if len(items) > limit else "")


assert len(FINDING_BY_RULE) == len(FINDINGS), "a finding code is in the catalogue twice"

__all__ = ["FINDINGS", "FINDING_BY_RULE", "FindingKind", "FindingSource", "KindSource", "Severity", "kind", "listed", "template_fields"]
